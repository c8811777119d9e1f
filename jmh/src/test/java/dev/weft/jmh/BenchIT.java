package dev.weft.jmh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jmh/bench} on the real {@code benchmarks.jar}, with tiny iteration counts: a benchmark that throws
 * makes the command exit non-zero (JMH alone exits 0), a good run exits 0, and the SQLite benchmark runs
 * without the JVM's native-access warning. How the launcher finds its JDK and builds the jar is the cli
 * module's {@code BenchLauncherTest}.
 */
@Tag("slow")
@Timeout(120)
@EnabledOnOs({OS.LINUX, OS.MAC})
class BenchIT {
    /** Failsafe runs in the jmh module's folder. */
    private static final Path LAUNCHER = Path.of("bench").toAbsolutePath();

    private static final Path JAR = Path.of("target/benchmarks.jar").toAbsolutePath();

    private static final List<String> TINY = List.of("-f", "1", "-wi", "0", "-i", "1", "-r", "100ms");

    @TempDir
    private Path output;

    private record Run(int exitCode, String output) {}

    @BeforeAll
    static void keepTheJarThatThisBuildMade() throws IOException {
        assertThat(JAR).as("the jar that `package` made").isRegularFile();
        // the launcher rebuilds a jar older than a source; this build's jar is the one to run
        Files.setLastModifiedTime(JAR, FileTime.from(Instant.now()));
    }

    @Test
    void shouldExitNonZeroWhenABenchmarkThrows() throws Exception {
        Run run = bench("IndependentTasks", "-p", "runner=nope");

        assertThat(run.exitCode())
                .as("the exit code; output:%n%s", run.output())
                .isNotZero();
        assertThat(run.output()).contains("'nope' is not a Weft runner known here");
    }

    @Test
    void shouldExitZeroWhenTheBenchmarksRun() throws Exception {
        Run run = bench("IndependentTasks", "-p", "runner=weft-sequential");

        assertThat(run.exitCode())
                .as("the exit code; output:%n%s", run.output())
                .isZero();
        assertThat(run.output())
                // the row, after its counters and history columns
                .containsPattern("IndependentTasks\\.batch +on +off +weft-sequential +thrpt +\\d")
                // slf4j-nop is the benchmarks' chosen provider: Weft's own console lines stay off too
                .doesNotContain("Submitting task run")
                .doesNotContain("No SLF4J provider");
    }

    @Test
    void shouldLoadSqliteWithoutTheNativeAccessWarning() throws Exception {
        Run run = bench("SlotThroughput", "-p", "store=sqlite");

        assertThat(run.exitCode())
                .as("the exit code; output:%n%s", run.output())
                .isZero();
        assertThat(run.output()).contains("SlotThroughput").doesNotContain("restricted method");
    }

    @Test
    void shouldEnableNativeAccessInTheJarsManifest() throws IOException {
        // for `java -jar benchmarks.jar -f 0`, which runs the benchmarks in the JVM that the jar starts
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access"))
                    .isEqualTo("ALL-UNNAMED");
        }
    }

    /** Runs the launcher on this test's JDK with tiny iteration counts and {@code args}. */
    private Run bench(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(TINY);
        Path log = output.resolve("bench.log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int exitCode = builder.start().waitFor();
        return new Run(exitCode, Files.readString(log, UTF_8));
    }
}
