package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several JVMs share one SQLite file, as processes on one machine do. */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class SqliteProcessesTest {
    @TempDir
    Path dir;

    /**
     * Property: processes that open a fresh SQLite file at once all create or find its tables (the file
     * lock around migrations), then share its slots without ever holding more than the limit. The race on
     * slots is mainly hunted by the contract test, which drives two stores, whose connections SQLite tells
     * apart no more than it does processes, from many threads; this one checks that processes are no
     * different.
     */
    @Test
    void shouldShareOneFileBetweenProcessesWithinTheLimit() throws Exception {
        int processes = 4;
        int limit = 2;
        Path home = dir.resolve("home");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> started = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Path output = dir.resolve("process-" + i + ".txt");
            outputs.add(output);
            started.add(new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            "--enable-native-access=ALL-UNNAMED",
                            StoreProcess.class.getName(),
                            home.toString(),
                            "db",
                            Integer.toString(limit),
                            "25")
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start());
        }
        for (int i = 0; i < processes; i++) {
            Process p = started.get(i);
            boolean ended = p.waitFor(100, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            String output = Files.readString(outputs.get(i));
            assertThat(ended).as("process %d ended; its output:%n%s", i, output).isTrue();
            assertThat(p.exitValue())
                    .as("process %d's status; its output:%n%s", i, output)
                    .isZero();
            assertThat(output).contains("OK most rows");
        }
    }
}
