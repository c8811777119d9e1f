package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that embeds Weft prints nothing that Weft did not mean to say: on JDK 24 and newer, a library
 * that reads memory through {@code sun.misc.Unsafe} makes the JVM warn on standard error, so none of the
 * engine's queues, its history's included, uses it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class NoUnsafeWarningTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunAFlowWithItsHistoryAndCountersWithoutAWarningAboutUnsafe() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "JDKs before 24 do not warn about sun.misc.Unsafe");
        Path err = dir.resolve("stderr.log");
        Process child = ChildJvm.of(EmbeddingMain.class, List.of("-Dweft.history=memory", "-Dweft.counters.dir=" + dir))
                .redirectError(err.toFile())
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        try {
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(() -> read(err)).isZero();
            assertThat(Files.readString(dir.resolve("stdout.log"))).contains("sum=499500");
            assertThat(read(err)).doesNotContain("sun.misc.Unsafe").doesNotContain("terminally deprecated");
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** A user's program: a flow of 1,000 task runs, its history kept in memory, its counts in the file. */
    static final class EmbeddingMain {
        public static void main(String[] args) {
            Task1<Integer, Integer> same = Task.of("same", (Integer i) -> i);
            long sum = Flow.of("embedded", new ConcurrentTaskRunner(), () -> {
                        List<TaskFuture<Integer>> all = new ArrayList<>();
                        for (int i = 0; i < 1_000; i++) {
                            all.add(same.submit(i));
                        }
                        long total = 0;
                        for (TaskFuture<Integer> f : all) {
                            total += f.result();
                        }
                        return total;
                    })
                    .call();
            System.out.println("sum=" + sum);
        }
    }
}
