package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Limits;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hang fails these tests by their timeout: the point of the example is that there is none. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubflowConcurrencyLimitsTest {
    private static final Pattern SUBFLOW_BEGINS =
            Pattern.compile("Beginning subflow run '([a-z]+-[a-z]+)' for flow 'my-subflow'\\.\\.\\.");

    @AfterEach
    void deleteLimits() {
        Limits.delete("small_instance");
    }

    @Test
    void shouldFailTheInnerRunWithAMessageNamingTheTagAndBothRuns() throws Exception {
        List<String> transcript = Transcript.of(() -> SubflowConcurrencyLimits.main(new String[0]));

        String subflow = subflowRunName(transcript);
        String deadlock = deadlockMessage(subflow);
        assertThat(printedByTheExample(transcript))
                .hasSize(2)
                .first()
                .asString()
                .matches("inner: " + deadlock);
        assertThat(Transcript.logged(transcript))
                .anyMatch(line -> line.matches("Task run 'inner-[0-9a-f]{8}-0' finished in state Failed\\(message=\""
                        + deadlock + "\", type=FAILED\\)"));
    }

    @Test
    void shouldFailTheSubflowTheOuterRunAndTheFlowRun() throws Exception {
        List<String> transcript = Transcript.of(() -> SubflowConcurrencyLimits.main(new String[0]));

        String subflow = subflowRunName(transcript);
        List<String> endings = Transcript.logged(transcript).stream()
                .filter(line -> line.contains(" finished in state "))
                .map(line -> line.substring(0, line.indexOf("(message=")))
                .toList();
        assertThat(endings)
                .hasSize(4)
                .satisfiesExactly(
                        inner -> assertThat(inner).matches("Task run 'inner-[0-9a-f]{8}-0' finished in state Failed"),
                        sub -> assertThat(sub).isEqualTo("Subflow run '" + subflow + "' finished in state Failed"),
                        outer -> assertThat(outer).matches("Task run 'outer-[0-9a-f]{8}-0' finished in state Failed"),
                        flow -> assertThat(flow).matches("Flow run '[a-z]+-[a-z]+' finished in state Failed"));
        assertThat(printedByTheExample(transcript))
                .last()
                .isEqualTo("my-flow: Failed(message='2/2 states failed.', type=FAILED)");
    }

    @Test
    void shouldGiveTheOuterSlotBackAndLeaveNoLimitBehind() throws Exception {
        Queue<Integer> activeSlotsAfterTheFlowRun = new ConcurrentLinkedQueue<>();

        Transcript.of(() -> SubflowConcurrencyLimits.main(new String[0]), line -> {
            if (line.startsWith("my-flow: ")) {
                activeSlotsAfterTheFlowRun.add(Limits.read("small_instance")
                        .map(limit -> limit.activeSlots().size())
                        .orElse(-1));
            }
        });

        assertThat(activeSlotsAfterTheFlowRun).containsExactly(0);
        assertThat(Limits.read("small_instance")).isEmpty();
    }

    /** The message of the inner run's state, as a pattern: the keys of the tasks vary from run to run. */
    private static String deadlockMessage(String subflow) {
        String message = "Task run 'inner-KEY-0' needs a slot on tag 'small_instance' (limit 1), but every slot is"
                + " held by runs that wait for it: task run 'outer-KEY-0' holds one while it waits on subflow run '"
                + subflow + "', which this run belongs to. Waiting would deadlock: give the inner tasks another tag,"
                + " or raise the limit above what the outer runs hold";
        return Pattern.quote(message).replace("KEY", "\\E[0-9a-f]{8}\\Q");
    }

    private static String subflowRunName(List<String> transcript) {
        for (String line : Transcript.logged(transcript)) {
            Matcher m = SUBFLOW_BEGINS.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        throw new AssertionError("No subflow run began:\n" + String.join("\n", transcript));
    }

    /** The example's own lines: the transcript's other lines are log lines and the stack traces they carry. */
    private static List<String> printedByTheExample(List<String> transcript) {
        return Transcript.printed(transcript).stream()
                .filter(line -> line.startsWith("inner: ") || line.startsWith("my-flow: "))
                .toList();
    }
}
