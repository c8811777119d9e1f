package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalClusterTest {

    @Test
    void shouldRunEightCallsAtOnceOnFourWorkersOfTwoThreadsAndStartTheNinthWhenOneEnds() throws Exception {
        // Each call stays in its body until all eight are in theirs, then until the flow releases them. The
        // waits go through managedBlock: a task on a ForkJoinPool that blocks on anything but a Weft future
        // should let the pool know.
        CountDownLatch eightInside = new CountDownLatch(8);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Task1<Integer, Boolean> held = Task.of("held", (Integer i) -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            eightInside.countDown();
            boolean sawEight = Blocking.await(eightInside);
            Blocking.await(release);
            inside.decrementAndGet();
            return sawEight;
        });
        AtomicReference<State<Boolean>> ninthWhileEightHeld = new AtomicReference<>();
        Flow<List<Boolean>> nine = Flow.of("nine-calls", LocalCluster.cluster, () -> {
            List<TaskFuture<Boolean>> calls =
                    IntStream.range(0, 9).mapToObj(i -> held.submit(i)).toList();
            if (eightInside.await(Blocking.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                ninthWhileEightHeld.set(calls.get(8).state());
            }
            release.countDown();
            return TaskFuture.gather(calls).result();
        });

        List<Boolean> sawEight = nine.call();

        assertThat(sawEight).hasSize(9).containsOnly(true);
        assertThat(most.get()).isEqualTo(8);
        assertThat(ninthWhileEightHeld.get()).isNotNull();
        assertThat(ninthWhileEightHeld.get().isPending()).isTrue();
        assertThat(ninthWhileEightHeld.get().message())
                .isEqualTo("Waiting for task runner `ForkJoinTaskRunner` to start it");
    }

    @Test
    void shouldCountThePrimesBelowTwoMillionOnALocalClusterOfFourByTwo() throws Exception {
        List<String> transcript = Transcript.of(() -> LocalCluster.main(new String[0]));

        assertThat(Transcript.printed(transcript)).containsExactly("148933 primes below 2000000");
        assertThat(Transcript.logged(transcript))
                .containsSubsequence(
                        "Starting task runner `ForkJoinTaskRunner`...",
                        "Creating a local cluster of 4 workers x 2 threads on a ForkJoinPool");
    }
}
