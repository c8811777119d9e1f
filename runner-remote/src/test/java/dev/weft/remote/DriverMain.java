package dev.weft.remote;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;

/**
 * A flow's process for tests that kill it: it starts a temporary cluster of two workers, says so on
 * standard output, and waits in a task until it is killed.
 */
public final class DriverMain {
    static final Task1<Long, Long> NAP = Task.of("nap", (Long millis) -> {
        Thread.sleep(millis);
        return millis;
    });

    private DriverMain() {}

    /** Runs the flow; never returns on its own within a test's time. */
    public static void main(String[] args) {
        Flow.of("doomed", () -> {
                    var nap = NAP.submit(600_000L);
                    System.out.println("driver-ready");
                    System.out.flush();
                    return nap.result();
                })
                .withTaskRunner(HazelcastTaskRunner.builder()
                        .workers(2)
                        .threadsPerWorker(1)
                        .build())
                .call();
    }
}
