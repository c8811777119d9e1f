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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every launcher script of the repository does ({@code ./weft}, {@code jmh/bench}): it finds a JDK 21+
 * through {@code .mvn/find-jdk}, builds its jar with that JDK when the jar is missing or older than a
 * source, and runs the jar with {@code $JAVA_OPTS}. Each launcher is run hermetically: a copy of it, at its
 * place in a temporary root whose {@code mvnw} and JDKs are fakes that say what they were asked to do, with
 * a PATH that holds only the tools the launcher needs.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(60)
abstract class LauncherContract {
    /** Surefire runs in the cli module's folder; the repository's root is one up. */
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private static final List<String> TOOLS = List.of("bash", "dirname", "readlink", "awk", "find");

    /**
     * A launcher under test.
     *
     * @param path the script, relative to the repository's root
     * @param jar the jar it runs, relative to the root
     * @param module the module whose jar it is, which it builds with {@code -pl MODULE -am}
     * @param what what it builds, as its messages name it, such as {@code Weft}
     * @param jvmOptions the options it always gives the JVM, before {@code $JAVA_OPTS}
     * @param jarArguments the arguments it always gives the jar, before the command line's
     */
    record Launcher(
            String path, String jar, String module, String what, List<String> jvmOptions, List<String> jarArguments) {}

    /** The result of one launch. */
    record Launch(int exitCode, String out, String err) {}

    @TempDir
    Path root;

    @TempDir
    Path elsewhere;

    private Path jvms;
    private Path tools;
    Path jar;

    /** Returns the launcher this suite runs against. */
    abstract Launcher launcher();

    @BeforeEach
    void makeRoot() throws IOException {
        Path script = root.resolve(launcher().path());
        Files.createDirectories(script.getParent());
        Files.copy(REPOSITORY.resolve(launcher().path()), script);
        executable(script);
        Path findJdk = Files.createDirectories(root.resolve(".mvn")).resolve("find-jdk");
        Files.copy(REPOSITORY.resolve(".mvn/find-jdk"), findJdk);
        executable(findJdk);
        jar = root.resolve(launcher().jar());
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        script(
                root.resolve("mvnw"),
                "echo \"mvnw $* with JAVA_HOME=$JAVA_HOME\" >&2; : > '"
                        + launcher().jar() + "'");
        jvms = Files.createDirectories(root.resolve("jvms"));
        tools = Files.createDirectories(root.resolve("tools"));
        for (String tool : TOOLS) {
            Files.createSymbolicLink(tools.resolve(tool), which(tool));
        }
    }

    @Test
    void shouldBeCommittedAsAnExecutableScript() {
        assertThat(REPOSITORY.resolve(launcher().path())).isRegularFile().isExecutable();
    }

    @Test
    void shouldRunTheJarOnJavaHomeWhenItIsAJdk21OrNewer() throws Exception {
        Launch launch = launch(root, Map.of("JAVA_HOME", jdk("jdk-21", "21").toString()), "a", "--b");

        assertThat(launch.out()).isEqualTo(ran("21", List.of(), "a", "--b"));
        assertThat(launch.err()).isEmpty();
    }

    @Test
    void shouldFallBackToJavaOnThePathWhenJavaHomeIsOlder() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), jdk("jdk-22", "22").resolve("bin/java"));

        Launch launch = launch(
                root, Map.of("JAVA_HOME", jdk("jdk-17", "17").toString(), "PATH", bin + File.pathSeparator + tools));

        assertThat(launch.out()).isEqualTo(ran("22", List.of()));
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

        assertThat(launch.out()).isEqualTo(ran("25", List.of()));
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
        Path link = Files.createSymbolicLink(
                elsewhere.resolve("launcher"), root.resolve(launcher().path()));

        Launch launch = launch(elsewhere, link, Map.of(), "run", "Main");

        assertThat(launch.out()).isEqualTo(ran("21", List.of(), "run", "Main"));
    }

    @Test
    void shouldPassJavaOptsToTheJvm() throws Exception {
        jdk("jdk-21", "21");

        Launch launch = launch(root, Map.of("JAVA_OPTS", "-Xmx1g -Dweft.x=y"), "a");

        assertThat(launch.out()).isEqualTo(ran("21", List.of("-Xmx1g", "-Dweft.x=y"), "a"));
    }

    @Test
    void shouldBuildWithTheChosenJdkWhenTheJarIsMissing() throws Exception {
        Path jdk = jdk("jdk-21", "21");
        Files.delete(jar);

        Launch launch = launch(root, Map.of(), "a");

        assertThat(launch.err().lines())
                .containsExactly(
                        "Building " + launcher().what() + " (first run)...",
                        "mvnw -q -DskipTests -pl " + launcher().module() + " -am package with JAVA_HOME=" + jdk);
        assertThat(launch.out()).isEqualTo(ran("21", List.of(), "a"));
    }

    @Test
    void shouldRebuildWhenASourceIsNewerThanTheJar() throws Exception {
        jdk("jdk-21", "21");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        Path source =
                Files.createDirectories(root.resolve("core/src/main/java")).resolve("Flow.java");
        Files.writeString(source, "class Flow {}");

        Launch launch = launch(root, Map.of(), "a");

        assertThat(launch.err().lines())
                .first()
                .isEqualTo("Rebuilding " + launcher().what() + " (sources changed)...");
        assertThat(launch(root, Map.of(), "a").err()).as("the second run").isEmpty();
    }

    /** What a fake JDK of {@code version} prints when the launcher runs the jar with {@code args}. */
    String ran(String version, List<String> javaOpts, String... args) {
        return Stream.of(
                        Stream.of("java", version),
                        launcher().jvmOptions().stream(),
                        javaOpts.stream(),
                        Stream.of("-jar", jar.toString()),
                        launcher().jarArguments().stream(),
                        Arrays.stream(args))
                .flatMap(s -> s)
                .collect(Collectors.joining(" ", "", "\n"));
    }

    Launch launch(Path folder, Map<String, String> env, String... args) throws Exception {
        return launch(folder, root.resolve(launcher().path()), env, args);
    }

    /** Runs the launcher with no JAVA_HOME, the tools alone on the PATH, and the fake JDK folder. */
    Launch launch(Path folder, Path launcher, Map<String, String> env, String... args) throws Exception {
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
    Path jdk(String name, String version) throws IOException {
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
