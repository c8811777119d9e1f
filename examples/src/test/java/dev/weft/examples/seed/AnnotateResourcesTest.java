package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example's cluster is one worker with 2 threads, 1 GPU and 1 process. Each test runs the example with
 * hooks that hold its calls in their bodies (where they print), so that what runs beside what is observable
 * without timing:
 *
 * <ul>
 *   <li>the GPU call ({@code 0}) stays in its body until a process call is in its own;
 *   <li>each process call ({@code 1} to {@code 3}) stays in its body until a probe, a call that needs no
 *       resources and that it submits from there, has run. With one of the two threads held by the process
 *       call, the probe runs only on the other one; a runner that started a second process call meanwhile
 *       would have given it that thread, and the probe (so the test) would wait in vain.
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnnotateResourcesTest {

    /** What the hooks saw during one run of the example. */
    private record Observed(
            List<String> printed,
            int mostProcessCallsAtOnce,
            boolean gpuCallRanBesideAProcessCall,
            List<String> problems) {}

    @Test
    void shouldNeverRunTwoCallsThatNeedTheOneProcessAtOnce() throws Exception {
        Observed run = runHoldingEachCall();

        assertThat(run.problems()).isEmpty();
        assertThat(run.mostProcessCallsAtOnce()).isEqualTo(1);
    }

    @Test
    void shouldRunTheGpuCallBesideAHeldProcessCall() throws Exception {
        Observed run = runHoldingEachCall();

        assertThat(run.problems()).isEmpty();
        assertThat(run.gpuCallRanBesideAProcessCall()).isTrue();
    }

    @Test
    void shouldStartTheProcessCallsInSubmissionOrder() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> AnnotateResources.main(new String[0])));

        assertThat(printed).containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(printed.stream().filter(line -> !line.equals("0"))).containsExactly("1", "2", "3");
    }

    @Test
    void shouldLogTheClusterWithItsResources() throws Exception {
        List<String> logged = Transcript.logged(Transcript.of(() -> AnnotateResources.main(new String[0])));

        assertThat(logged)
                .containsSubsequence(
                        "Starting task runner `ForkJoinTaskRunner`...",
                        "Creating a local cluster of 1 worker x 2 threads, with {GPU=1, process=1} on a ForkJoinPool");
    }

    private static Observed runHoldingEachCall() throws Exception {
        AtomicInteger processCallsInside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch aProcessCallInside = new CountDownLatch(1);
        AtomicBoolean gpuBeside = new AtomicBoolean();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Map<Integer, CountDownLatch> probeRan = new ConcurrentHashMap<>();
        Task1<Integer, Void> probe =
                Task.of("probe", (Integer x) -> probeRan.get(x).countDown());

        List<String> transcript = Transcript.of(() -> AnnotateResources.main(new String[0]), line -> {
            switch (line) {
                case "0" -> {
                    if (Blocking.await(aProcessCallInside)) {
                        gpuBeside.set(true);
                    } else {
                        problems.add("the GPU call waited in vain for a process call to run beside it");
                    }
                }
                case "1", "2", "3" -> {
                    int x = Integer.parseInt(line);
                    most.accumulateAndGet(processCallsInside.incrementAndGet(), Math::max);
                    aProcessCallInside.countDown();
                    CountDownLatch ran = new CountDownLatch(1);
                    probeRan.put(x, ran);
                    probe.submit(x); // from inside show(x): a call of the same flow run
                    if (!Blocking.await(ran)) {
                        problems.add("no call ran beside show(" + x + ") on the cluster's other thread");
                    }
                    processCallsInside.decrementAndGet();
                }
                default -> {}
            }
        });
        return new Observed(Transcript.printed(transcript), most.get(), gpuBeside.get(), List.copyOf(problems));
    }
}
