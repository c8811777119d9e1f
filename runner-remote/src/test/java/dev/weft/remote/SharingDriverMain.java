package dev.weft.remote;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A flow's process that joins an existing cluster by address and runs calls tagged {@code shared_gpu}:
 * the test starts two of them against one cluster, whose workers run in the test's JVM and count how many
 * such calls run at once.
 */
public final class SharingDriverMain {
    /** On the workers: the calls running now, and the most ever at once. */
    static final AtomicInteger RUNNING = new AtomicInteger();

    static final AtomicInteger MOST = new AtomicInteger();

    static final Task1<Integer, Integer> TAGGED = Task.of("tagged", (Integer x) -> {
                MOST.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(300);
                } finally {
                    RUNNING.decrementAndGet();
                }
                return x;
            })
            .withTags("shared_gpu");

    private SharingDriverMain() {}

    /**
     * Runs six tagged calls on the cluster at {@code args[0]}, named {@code args[1]}; the secret comes from
     * the environment. Prints {@code sum=N} and exits 0 when all complete.
     */
    public static void main(String[] args) {
        int sum = Flow.of("sharing", () -> {
                    List<TaskFuture<Integer>> fs = new ArrayList<>();
                    for (int i = 1; i <= 6; i++) {
                        fs.add(TAGGED.submit(i));
                    }
                    return fs.stream().mapToInt(TaskFuture::result).sum();
                })
                .withTaskRunner(HazelcastTaskRunner.builder()
                        .address(args[0])
                        .clusterName(args[1])
                        .build())
                .call();
        System.out.println("sum=" + sum);
        System.exit(0);
    }
}
