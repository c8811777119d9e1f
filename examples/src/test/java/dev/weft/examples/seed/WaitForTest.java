package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.TaskRunLog;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitForTest {

    @RepeatedTest(20)
    void shouldStartTaskCAfterAAndBAndTaskDAfterC() {
        List<String> log;
        try (TaskRunLog runs = TaskRunLog.record()) {
            WaitFor.myFlow.call();
            log = runs.lines();
        }

        assertThat(indexOf(log, "task_c", "entered state Running"))
                .isGreaterThan(indexOf(log, "task_a", "finished in state Completed"))
                .isGreaterThan(indexOf(log, "task_b", "finished in state Completed"));
        assertThat(indexOf(log, "task_d", "entered state Running"))
                .isGreaterThan(indexOf(log, "task_c", "finished in state Completed"));
        // task_d is called, not submitted: it runs in place, on the flow's thread.
        assertThat(indexOf(log, "task_d", "immediately..."))
                .isLessThan(indexOf(log, "task_d", "entered state Running"));
    }

    /** Returns the index of the line about the task's first run that contains {@code text}; fails if none. */
    private static int indexOf(List<String> log, String task, String text) {
        for (int i = 0; i < log.size(); i++) {
            String line = log.get(i);
            if (line.matches(".*'" + task + "-[0-9a-f]{8}-0'.*") && line.contains(text)) {
                return i;
            }
        }
        throw new AssertionError("No line about " + task + " with '" + text + "' in " + log);
    }
}
