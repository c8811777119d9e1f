package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Limits;
import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZeroConcurrencyLimitTest {

    /**
     * What the example prints, written as the seed pages write their logs (the page shows no log for its
     * note): time stamps, the flow run's name and the task's key vary from run to run.
     */
    private static final String LOG =
            """
            13:46:58.865 | Beginning flow run 'olivine-swan' for flow 'my-flow'...
            13:46:58.866 | Starting task runner `ConcurrentTaskRunner`...
            13:46:58.934 | Submitting task run 'query-a087a829-0' to task runner...
            13:46:58.955 | Task run 'query-a087a829-0' finished in state Aborted(message="Aborted: the concurrency limit on tag 'small_instance' is 0, so task run 'query-a087a829-0' can never run; raise the limit or delete it to run the tag's tasks", type=CANCELLED)
            query: Aborted(message="Aborted: the concurrency limit on tag 'small_instance' is 0, so task run 'query-a087a829-0' can never run; raise the limit or delete it to run the tag's tasks", type=CANCELLED)
            13:46:58.956 | Shutting down task runner `ConcurrentTaskRunner`...
            13:46:58.957 | Flow run 'olivine-swan' finished in state Cancelled(message='1/1 states cancelled.', type=CANCELLED)
            my-flow: Cancelled(message='1/1 states cancelled.', type=CANCELLED)
            """;

    @AfterEach
    void deleteLimits() {
        Limits.delete("small_instance");
    }

    @Test
    void shouldAbortTheRunInsteadOfDelayingItAndCancelTheFlowRun() throws Exception {
        List<String> transcript = Transcript.of(() -> ZeroConcurrencyLimit.main(new String[0]));

        SeedLog.assertMatches(transcript, LOG);
    }

    @Test
    void shouldNeverRunTheAbortedTask() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> ZeroConcurrencyLimit.main(new String[0])));

        assertThat(printed).doesNotContain("connected to the database");
    }

    @Test
    void shouldAbortWhateverLimitTheTagHadAndLeaveNoLimitBehind() throws Exception {
        Limits.set("small_instance", 5);

        List<String> printed = Transcript.printed(Transcript.of(() -> ZeroConcurrencyLimit.main(new String[0])));

        assertThat(printed).last().isEqualTo("my-flow: Cancelled(message='1/1 states cancelled.', type=CANCELLED)");
        assertThat(Limits.read("small_instance")).isEmpty();
    }
}
