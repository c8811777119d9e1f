package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Limits;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example runs three reports tagged {@code small_instance} (limit 10) and {@code database} (limit 1).
 * The tests hold the first report that runs in its body (where it prints) until the two others have
 * entered the state {@code Queued}, and look at the slots meanwhile, so that what holds what is observable
 * without timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultipleTagsTest {
    private static final String QUEUED_ON_DATABASE = "entered state Queued(message=\"Waiting for a concurrency slot"
            + " on tag 'database': all 1 slot is taken\", type=QUEUED)";

    /** What the hooks saw during one run of the example. */
    private record Observed(
            List<String> transcript,
            int mostReportsAtOnce,
            List<Integer> smallInstanceSlotsTakenWhileTwoWait,
            List<String> problems) {}

    @AfterEach
    void deleteLimits() {
        Limits.delete("small_instance", "database");
    }

    @Test
    void shouldRunOneReportAtATimeThoughTheOtherTagHasSlotsToSpare() throws Exception {
        Observed run = runHoldingTheFirstReport();

        assertThat(run.problems()).isEmpty();
        assertThat(run.mostReportsAtOnce()).isEqualTo(1);
        assertThat(Transcript.printed(run.transcript()))
                .containsExactlyInAnyOrder(
                        "report 0 runs; slots taken: 'small_instance' 1/10, 'database' 1/1",
                        "report 1 runs; slots taken: 'small_instance' 1/10, 'database' 1/1",
                        "report 2 runs; slots taken: 'small_instance' 1/10, 'database' 1/1");
    }

    @Test
    void shouldQueueOnTheFullTagWithoutTakingASlotOnTheOther() throws Exception {
        Observed run = runHoldingTheFirstReport();

        assertThat(run.problems()).isEmpty();
        assertThat(Transcript.logged(run.transcript()))
                .filteredOn(line -> line.contains("entered state Queued"))
                .hasSize(2)
                .allMatch(line ->
                        line.matches("Task run 'report-[0-9a-f]{8}-[0-2]' .*") && line.endsWith(QUEUED_ON_DATABASE));
        // While two reports wait, the running one is the only holder of a 'small_instance' slot: all or nothing.
        assertThat(run.smallInstanceSlotsTakenWhileTwoWait()).containsExactly(1);
    }

    @Test
    void shouldLeaveNoLimitBehind() throws Exception {
        Transcript.of(() -> MultipleTags.main(new String[0]));

        assertThat(Limits.read("small_instance")).isEmpty();
        assertThat(Limits.read("database")).isEmpty();
    }

    private static Observed runHoldingTheFirstReport() throws Exception {
        CountDownLatch twoQueued = new CountDownLatch(2);
        AtomicBoolean first = new AtomicBoolean(true);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Queue<Integer> smallInstanceSlots = new ConcurrentLinkedQueue<>();
        Queue<String> problems = new ConcurrentLinkedQueue<>();

        List<String> transcript = Transcript.of(() -> MultipleTags.main(new String[0]), line -> {
            if (line.contains(" | Task run 'report-") && line.endsWith(QUEUED_ON_DATABASE)) {
                twoQueued.countDown();
            } else if (line.startsWith("report ")) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                if (first.compareAndSet(true, false)) { // hold the first report to run until the others wait
                    if (Blocking.await(twoQueued)) {
                        smallInstanceSlots.add(Limits.read("small_instance")
                                .map(limit -> limit.activeSlots().size())
                                .orElse(-1));
                    } else {
                        problems.add(line + ": the other reports did not both enter the state Queued meanwhile");
                    }
                }
                inside.decrementAndGet();
            }
        });
        return new Observed(transcript, most.get(), List.copyOf(smallInstanceSlots), List.copyOf(problems));
    }
}
