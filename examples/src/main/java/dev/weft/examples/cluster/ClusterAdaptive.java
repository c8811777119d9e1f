package dev.weft.examples.cluster;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.remote.HazelcastTaskRunner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Twin of "Adaptive scaling": a temporary cluster that grows while calls wait for a thread and shrinks when
 * its workers idle, between a minimum of 1 and a maximum of 3 worker JVMs, as Prefect's {@code
 * DaskTaskRunner(adapt_kwargs={"minimum": 1, "maximum": 3})}. The flow submits a burst of 40 naps of 200
 * ms, which its one worker of 2 threads would take 4 seconds over: the runner adds two workers at once, and
 * the naps still waiting spread over the JVMs as they join. Once the burst is over, the flow waits until the
 * idle workers are gone (the worker JVMs are this JVM's children), so that the shrinking shows in the log
 * before the flow run ends and stops the cluster.
 */
public final class ClusterAdaptive {
    private ClusterAdaptive() {}

    static final int NAPS = 40;
    static final long NAP_MS = 200;

    // snippet:cluster-adaptive
    static final Task1<Integer, Long> nap = Task.of("nap", (Integer i) -> {
        Thread.sleep(NAP_MS);
        return ProcessHandle.current().pid(); // the worker JVM it ran in
    });

    // between 1 and 3 worker JVMs of 2 threads; a worker idle for a second goes
    static final HazelcastTaskRunner adaptive = HazelcastTaskRunner.builder()
            .adapt(1, 3)
            .threadsPerWorker(2)
            .idleTimeout(Duration.ofSeconds(1))
            .build();

    static final Flow<Long> burst = Flow.of("burst", adaptive, () -> {
        List<TaskFuture<Long>> naps =
                IntStream.range(0, NAPS).mapToObj(i -> nap.submit(i)).toList();
        long jvms = TaskFuture.gather(naps).result().stream().distinct().count();
        System.out.println(NAPS + " naps done, in " + jvms + (jvms == 1 ? " worker JVM" : " worker JVMs"));
        awaitWorkerJvms(1, Duration.ofSeconds(60)); // until the cluster is back at its minimum
        return jvms;
    });
    // end-snippet:cluster-adaptive

    /** Waits until this JVM has at most {@code count} children: the worker JVMs of its temporary cluster. */
    static void awaitWorkerJvms(int count, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (ProcessHandle.current().children().count() > count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        burst.call();
    }
}
