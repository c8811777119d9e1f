package dev.weft.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.examples.testing.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example's cluster is one worker JVM with 2 threads, 1 GPU and 1 process. Its calls all run in that
 * one JVM, so calls can watch each other there through this class's static fields, which the worker JVM
 * has its own copy of.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterResourcesTest {
    /** In the worker JVM: process calls in their bodies now. */
    static final AtomicInteger processCallsInside = new AtomicInteger();

    /** In the worker JVM: opens once a process call is in its body. */
    static final CountDownLatch aProcessCallInside = new CountDownLatch(1);

    /** Stays in its body until a process call is in its own; returns whether one came. */
    static final Task0<Boolean> gpuCall = Task.of("gpu_call", () -> aProcessCallInside.await(60, TimeUnit.SECONDS));

    /** Stays in its body a while; returns how many process calls were in theirs when it came, itself included. */
    static final Task1<Integer, Integer> processCall = Task.of("process_call", (Integer x) -> {
        int inside = processCallsInside.incrementAndGet();
        aProcessCallInside.countDown();
        Thread.sleep(300);
        processCallsInside.decrementAndGet();
        return inside;
    });

    /** What one run of the holding flow saw. */
    private record Observed(boolean gpuCallRanBesideAProcessCall, List<Integer> processCallsAtOnce) {}

    @Test
    void shouldNeverRunTwoCallsThatNeedTheOneProcessAtOnce() {
        Observed run = runHoldingCalls();

        assertThat(run.processCallsAtOnce()).containsExactly(1, 1, 1);
    }

    @Test
    void shouldRunTheGpuCallBesideAProcessCall() {
        Observed run = runHoldingCalls();

        assertThat(run.gpuCallRanBesideAProcessCall()).isTrue();
    }

    @Test
    void shouldStartTheProcessCallsInSubmissionOrder() throws Exception {
        List<String> transcript = Transcript.of(() -> ClusterResources.main(new String[0]));
        List<String> printed = Transcript.printed(transcript);

        assertThat(printed).containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(printed.stream().filter(line -> !line.equals("0"))).containsExactly("1", "2", "3");
        assertThat(Transcript.logged(transcript))
                .containsSubsequence(
                        "Starting task runner `HazelcastTaskRunner`...",
                        "Shutting down task runner `HazelcastTaskRunner`...")
                .anyMatch(
                        line -> line.matches("Created temporary cluster 'weft-[0-9a-f]{8}' on 127\\.0\\.0\\.1: 1 worker"
                                + " x 2 threads, with \\{GPU=1, process=1\\}"));
    }

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    private static Observed runHoldingCalls() {
        Flow<Observed> holding = Flow.of("holding", ClusterResources.cluster, () -> {
            TaskFuture<Boolean> gpu;
            try (Annotate scope = Annotate.resources(Map.of("GPU", 1))) {
                gpu = gpuCall.submit();
            }
            List<TaskFuture<Integer>> process = new ArrayList<>();
            try (Annotate scope = Annotate.resources(Map.of("process", 1))) {
                for (int x = 1; x <= 3; x++) {
                    process.add(processCall.submit(x));
                }
            }
            return new Observed(gpu.result(), TaskFuture.gather(process).result());
        });
        return holding.call();
    }
}
