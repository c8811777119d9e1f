package dev.weft.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./weft} launcher at the repository's root, run hermetically: on a copy of it in a temporary
 * root whose {@code mvnw} and JDKs are fakes that say what they were asked to do, with a PATH that holds
 * only the tools the launcher needs.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(60)
class LauncherTest {
    /** Surefire runs in the cli module's folder; the launcher is one up. */
    private static final Path LAUNCHER = Path.of("..", "weft").toAbsolutePath().normalize();

    private static final List<String> TOOLS = List.of("bash", "dirname", "readlink", "awk", "find");

    @TempDir
    private Path root;

    @TempDir
    private Path elsewhere;

    private Path jvms;
    private Path tools;
    private Path jar;

    @BeforeEach
    void makeRoot() throws IOException {
        Files.copy(LAUNCHER, root.resolve("weft"));
        executable(root.resolve("weft"));
        Path findJdk = Files.createDirectories(root.resolve(".mvn")).resolve("find-jdk");
        Files.copy(LAUNCHER.resolveSibling(".mvn/find-jdk"), findJdk);
        executable(findJdk);
        jar = Files.createDirectories(root.resolve("cli/target")).resolve("weft.jar");
        Files.writeString(jar, "");
        script(root.resolve("mvnw"), "echo \"mvnw $* with JAVA_HOME=$JAVA_HOME\" >&2; : > cli/target/weft.jar");
        jvms = Files.createDirectories(root.resolve("jvms"));
        tools = Files.createDirectories(root.resolve("tools"));
        for (String tool : TOOLS) {
            Files.createSymbolicLink(tools.resolve(tool), which(tool));
        }
    }

    @Test
    void shouldRunTheJarOnJavaHomeWhenItIsAJdk21OrNewer() throws Exception {
        Launch launch = launch(root, Map.of("JAVA_HOME", jdk("jdk-21", "21").toString()), "demo", "--list");

        assertThat(launch.out()).isEqualTo("java 21 -jar " + jar + " demo --list\n");
        assertThat(launch.err()).isEmpty();
    }

    @Test
    void shouldFallBackToJavaOnThePathWhenJavaHomeIsOlder() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk("jdk-22", "22").resolve("bin/java"));

        Launch launch = launch(
                root, Map.of("JAVA_HOME", jdk("jdk-17", "17").toString(), "PATH", bin + File.pathSeparator + tools));

        assertThat(launch.out()).startsWith("java 22 -jar ");
    }

    @Test
    void shouldPickTheNewestJdkInTheJvmFolderWhenNeitherJavaHomeNorPathHasOne() throws Exception {
        // in the folder's order: neither the first nor the last JDK 21+ is the newest
        jdk("jdk-17", "17");
        jdk("jdk-21", "21");
        jdk("jdk-25", "25");
        jdk("zulu-22", "22");
        script(Files.createDirectories(jvms.resolve("broken/bin")).resolve("java"), "exit 1");

        Launch launch = launch(root, Map.of("JAVA_HOME", jdk("jdk-8", "1.8").toString()));

        assertThat(launch.out()).startsWith("java 25 -jar ");
    }

    @Test
    void shouldSayInOneLineWhatToDoWhenThereIsNoJdk21() throws Exception {
        Launch launch = launch(root, Map.of("JAVA_HOME", jdk("jdk-17", "17").toString()));

        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.out()).isEmpty();
        assertThat(launch.err().lines())
                .singleElement()
                .asString()
                .contains("no JDK 21 or newer", "install", "JAVA_HOME");
    }

    @Test
    void shouldFindItsRepositoryWhenRunFromAnotherFolderThroughALink() throws Exception {
        jdk("jdk-21", "21");
        Path link = Files.createSymbolicLink(elsewhere.resolve("weft"), root.resolve("weft"));

        Launch launch = launch(elsewhere, link, Map.of(), "run", "Main");

        assertThat(launch.out()).isEqualTo("java 21 -jar " + jar + " run Main\n");
    }

    @Test
    void shouldPassJavaOptsToTheJvm() throws Exception {
        jdk("jdk-21", "21");

        Launch launch = launch(root, Map.of("JAVA_OPTS", "-Xmx1g -Dweft.x=y"), "demo");

        assertThat(launch.out()).isEqualTo("java 21 -Xmx1g -Dweft.x=y -jar " + jar + " demo\n");
    }

    @Test
    void shouldBuildWithTheChosenJdkWhenTheJarIsMissing() throws Exception {
        Path jdk = jdk("jdk-21", "21");
        Files.delete(jar);

        Launch launch = launch(root, Map.of(), "demo");

        assertThat(launch.err().lines())
                .containsExactly(
                        "Building Weft (first run)...",
                        "mvnw -q -DskipTests -pl cli -am package with JAVA_HOME=" + jdk);
        assertThat(launch.out()).startsWith("java 21 -jar ");
    }

    @Test
    void shouldRebuildWhenASourceIsNewerThanTheJar() throws Exception {
        jdk("jdk-21", "21");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        Path source =
                Files.createDirectories(root.resolve("core/src/main/java")).resolve("Flow.java");
        Files.writeString(source, "class Flow {}");

        Launch launch = launch(root, Map.of(), "demo");

        assertThat(launch.err().lines()).first().isEqualTo("Rebuilding Weft (sources changed)...");
        assertThat(launch(root, Map.of(), "demo").err()).as("the second run").isEmpty();
    }

    private record Launch(int exitCode, String out, String err) {}

    private Launch launch(Path folder, Map<String, String> env, String... args) throws Exception {
        return launch(folder, root.resolve("weft"), env, args);
    }

    /** Runs the launcher with no JAVA_HOME, the tools alone on the PATH, and the fake JDK folder. */
    private Launch launch(Path folder, Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(Arrays.asList(args));
        Path out = root.resolve("out.txt");
        Path err = root.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", tools.toString());
        builder.environment().put("WEFT_JVM_DIR", jvms.toString());
        builder.environment().putAll(env);
        int exitCode = builder.start().waitFor();
        return new Launch(exitCode, Files.readString(out, UTF_8), Files.readString(err, UTF_8));
    }

    /** Makes a fake JDK that reports {@code version} and, run with a jar, prints its version and arguments. */
    private Path jdk(String name, String version) throws IOException {
        Path home = jvms.resolve(name);
        script(
                Files.createDirectories(home.resolve("bin")).resolve("java"),
                """
                if [ "$1" = -XshowSettings:properties ]; then
                  printf '    java.specification.version = %s\\n    java.home = %s\\n' '{version}' '{home}' >&2
                  exit 0
                fi
                echo "java {version} $*"
                """
                        .replace("{version}", version)
                        .replace("{home}", home.toString()));
        script(home.resolve("bin/javac"), "exit 0");
        return home;
    }

    private static void script(Path path, String body) throws IOException {
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        executable(path);
    }

    private static void executable(Path path) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path which(String tool) {
        return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(tool + " is not on the PATH"));
    }
}
