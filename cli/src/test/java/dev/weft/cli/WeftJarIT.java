package dev.weft.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar that {@code ./weft} runs, as built: started with {@code java -jar} and no other option, as the
 * launcher starts it, it opens the SQLite store without the warning that JDK 24+ prints when a library loads
 * native code without native access (JEP 472).
 */
@Timeout(60)
class WeftJarIT {
    /** Failsafe runs in the cli module's folder. */
    private static final Path JAR = Path.of("target/weft.jar").toAbsolutePath();

    @TempDir
    private Path home;

    @Test
    void shouldEnableNativeAccessInTheManifest() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
                    .isEqualTo("ALL-UNNAMED");
        }
    }

    @Test
    void shouldOpenTheSqliteStoreWithoutTheNativeAccessWarning() throws Exception {
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        JAR.toString(),
                        "concurrency-limit",
                        "--home",
                        home.toString(),
                        "ls")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();

        assertThat(process.waitFor())
                .as("the exit code; stderr: %s", Files.readString(err, UTF_8))
                .isZero();
        assertThat(Files.readString(out, UTF_8)).startsWith("Tag  Concurrency Limit  Active Task Slots  Id");
        assertThat(home.resolve("weft.db")).as("the SQLite file, opened").isRegularFile();
        assertThat(Files.readString(err, UTF_8)).isEmpty();
    }
}
