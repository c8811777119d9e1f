package dev.weft.examples.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Transcript;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelSumTest {
    private static final long EXPECTED = ParallelSum.N * (ParallelSum.N - 1) / 2;

    @Test
    void shouldSumTheRangeInFifteenCallsThatWaitForTheirChildren() throws Exception {
        List<String> transcript = Transcript.of(() -> ParallelSum.main(new String[0]));

        assertThat(Transcript.printed(transcript))
                .containsExactly("0 + 1 + ... + " + (ParallelSum.N - 1) + " = " + EXPECTED);
        assertThat(Transcript.logged(transcript))
                .filteredOn(line -> line.matches("Task run 'range_sum-[0-9a-f]{8}-\\d+' finished in state Completed.*"))
                .hasSize(15);
    }

    @Test
    void shouldNotDeadlockWhenEveryCallWaitsOnASingleThread() {
        // Seven of the fifteen calls wait for their children; on one thread that works only because a call
        // that waits for futures gives its slot back.
        ForkJoinTaskRunner oneThread =
                ForkJoinTaskRunner.builder().workers(1).threadsPerWorker(1).build();

        long sum = ParallelSum.parallelSum.withTaskRunner(oneThread).call();

        assertThat(sum).isEqualTo(EXPECTED);
    }
}
