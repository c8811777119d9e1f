package dev.weft.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import dev.weft.spi.RunQuery;
import dev.weft.store.JdbcRunHistory;
import dev.weft.store.JdbcSlotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft demo} in a JVM of its own, as a user runs it, with a Weft home whose SQLite store holds a
 * limit of the user's on the tag the examples use: the demo must neither change it nor show its own limits
 * to other processes, which this test stands in for by reading the store while the demo runs.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoUserLimitsTest {
    private static final List<String> LIMIT_EXAMPLES = List.of(
            "concurrency-limits",
            "multiple-tags",
            "zero-concurrency-limit",
            "subflow-concurrency-limits",
            "concurrency-limit-client");

    @TempDir
    Path home;

    @TempDir
    Path dir;

    @Test
    void shouldLeaveTheUsersLimitsAsTheyAreBeforeDuringAndAfterTheLimitExamples() throws Exception {
        Settings users = new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        Map<String, Integer> before = Map.of("small_instance", 7);
        Path output = dir.resolve("demo.txt");
        try (JdbcSlotStore store = JdbcSlotStore.open(users)) {
            store.create("small_instance", 7);
            assertThat(limits(store)).isEqualTo(before);

            Process demo = demo(Map.of("WEFT_HOME", home.toString()), output);
            List<Map<String, Integer>> seenDuring = new ArrayList<>();
            try {
                while (demo.isAlive()) {
                    seenDuring.add(limits(store));
                    Thread.sleep(5);
                }
            } finally {
                demo.destroyForcibly();
            }

            String printed = Files.readString(output, UTF_8);
            assertThat(demo.exitValue())
                    .as("the demo's exit code; it printed:%n%s", printed)
                    .isZero();
            assertThat(seenDuring).as("reads while the demo ran").isNotEmpty().containsOnly(before);
            assertThat(limits(store)).as("after the demo").isEqualTo(before);
            assertThat(printed)
                    .startsWith("The demo keeps its concurrency limits in memory; your limits in SQLite file ")
                    .contains("== a limit of 0 aborts") // the examples ran, with their limits
                    .contains("at most 2 queries were connected at once");
        }
        try (JdbcRunHistory history = JdbcRunHistory.open(users)) {
            assertThat(history.flowRuns(RunQuery.all()))
                    .as("the examples' runs in the user's run history")
                    .isEmpty();
        }
    }

    @Test
    void shouldRunTheLimitExamplesWhenTheUsersStoreCannotBeReached() throws Exception {
        Path output = dir.resolve("demo.txt");
        Process demo = demo(
                Map.of("WEFT_HOME", home.toString(), "WEFT_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/weft"),
                output);
        try {
            assertThat(demo.waitFor(100, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }

        String printed = Files.readString(output, UTF_8);
        assertThat(demo.exitValue())
                .as("the demo's exit code; it printed:%n%s", printed)
                .isZero();
        assertThat(printed)
                .startsWith("The demo keeps its concurrency limits in memory; your limits in the database"
                        + " jdbc:postgresql://127.0.0.1:1/weft are not touched.")
                .contains("at most 2 queries were connected at once")
                .doesNotContain("Cannot reach");
    }

    private static Map<String, Integer> limits(JdbcSlotStore store) {
        return store.readAll().stream().collect(Collectors.toMap(ConcurrencyLimit::tag, ConcurrencyLimit::limit));
    }

    /** Starts {@code weft demo} with the limit examples, in a JVM whose only settings are {@code env}. */
    private static Process demo(Map<String, String> env, Path output) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                Weft.class.getName(),
                "demo"));
        command.addAll(LIMIT_EXAMPLES);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("WEFT_"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
