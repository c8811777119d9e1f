package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrencyLimit;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Limits;
import dev.weft.examples.testing.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example runs six queries tagged {@code small_instance} under a limit of 2. The tests hold the queries
 * in their bodies (where they print), so that what runs beside what is observable without timing: the
 * first queries stay there until the four others have entered the state {@code Queued}, and every query
 * stays there until a second one is in its own, so pairs must form. A runner that started a third query
 * beside a pair would be seen inside with them; one that did not queue the four would never let the first
 * two go on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskConcurrencyLimitsTest {
    private static final Pattern QUEUED = Pattern.compile("Task run '(query-[0-9a-f]{8}-(\\d+))' entered state"
            + " Queued\\(message=\"Waiting for a concurrency slot on tag 'small_instance': all 2 slots are taken\","
            + " type=QUEUED\\)");

    /** What the hooks saw during one run of the example. */
    private record Observed(List<String> transcript, int mostQueriesAtOnce, List<String> problems) {}

    @AfterEach
    void deleteLimits() {
        Limits.delete("small_instance");
    }

    @Test
    void shouldNeverRunMoreQueriesAtOnceThanTheLimit() throws Exception {
        Observed run = runHoldingEachQuery();

        assertThat(run.problems()).isEmpty();
        assertThat(run.mostQueriesAtOnce()).isEqualTo(2);
        List<String> printed = Transcript.printed(run.transcript());
        assertThat(printed.subList(0, printed.size() - 1))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 6)
                        .mapToObj(row -> "querying row " + row)
                        .toList());
        assertThat(printed).last().isEqualTo("at most 2 queries were connected at once");
    }

    @Test
    void shouldQueueTheQueriesThatFindNoSlotAndRunEachOnceASlotIsFree() throws Exception {
        Observed run = runHoldingEachQuery();

        assertThat(run.problems()).isEmpty();
        List<String> transcript = run.transcript();
        List<Integer> queuedRows = new ArrayList<>();
        for (int i = 0; i < transcript.size(); i++) {
            // The console shows INFO and above only, so a Queued line in the transcript was logged at INFO.
            Matcher m = QUEUED.matcher(withoutTimeStamp(transcript.get(i)));
            if (m.matches()) {
                int row = Integer.parseInt(m.group(2)); // the call index: the rows were submitted in order
                queuedRows.add(row);
                assertThat(transcript.subList(i + 1, transcript.size()))
                        .as("the queued " + m.group(1) + " runs after it entered the state Queued")
                        .contains("querying row " + row);
            }
        }
        assertThat(queuedRows)
                .as("the queries that found both slots taken")
                .hasSize(4)
                .doesNotHaveDuplicates();
        assertThat(Transcript.logged(transcript))
                .last()
                .asString()
                .matches("Flow run '[a-z]+-[a-z]+' finished in state Completed\\(.*");
    }

    @Test
    void shouldSetItsOwnLimitWhateverTheTagHadAndLeaveNoLimitBehind() throws Exception {
        Limits.set("small_instance", 7);
        Queue<Integer> limitsSeenByQueries = new ConcurrentLinkedQueue<>();
        Queue<Integer> activeSlotsAtTheEnd = new ConcurrentLinkedQueue<>();

        Transcript.of(() -> TaskConcurrencyLimits.main(new String[0]), line -> {
            if (line.startsWith("querying row")) {
                limitsSeenByQueries.add(Limits.read("small_instance")
                        .map(ConcurrencyLimit::limit)
                        .orElse(-1));
            } else if (line.startsWith("at most ")) {
                // the flow run has ended: every query has given its slot back
                activeSlotsAtTheEnd.add(Limits.read("small_instance")
                        .map(limit -> limit.activeSlots().size())
                        .orElse(-1));
            }
        });

        assertThat(limitsSeenByQueries).hasSize(6).containsOnly(2);
        assertThat(activeSlotsAtTheEnd).containsExactly(0);
        assertThat(Limits.read("small_instance")).isEmpty();
    }

    private static String withoutTimeStamp(String line) {
        return line.replaceFirst("^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} \\| ", "");
    }

    private static Observed runHoldingEachQuery() throws Exception {
        CountDownLatch fourQueued = new CountDownLatch(4);
        CyclicBarrier pair = new CyclicBarrier(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Queue<String> problems = new ConcurrentLinkedQueue<>();

        List<String> transcript = Transcript.of(() -> TaskConcurrencyLimits.main(new String[0]), line -> {
            if (line.contains(" | Task run 'query-") && line.contains(" entered state Queued(")) {
                fourQueued.countDown();
            } else if (line.startsWith("querying row")) {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                if (!Blocking.await(fourQueued)) {
                    problems.add(line + ": the other queries did not all enter the state Queued meanwhile");
                }
                try {
                    pair.await(Blocking.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (BrokenBarrierException | TimeoutException e) {
                    problems.add(line + ": no second query ran beside it");
                }
                inside.decrementAndGet();
            }
        });
        return new Observed(transcript, most.get(), List.copyOf(problems));
    }
}
