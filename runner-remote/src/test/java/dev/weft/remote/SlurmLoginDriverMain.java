package dev.weft.remote;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A driver on a "login node" that submits one worker job and runs a flow that never ends, until the test
 * kills it: its job must then end by itself.
 */
public final class SlurmLoginDriverMain {
    static final Task1<Integer, Integer> FOREVER = Task.of("forever", (Integer i) -> {
        Thread.sleep(Long.MAX_VALUE);
        return i;
    });

    private SlurmLoginDriverMain() {}

    /**
     * Runs the flow on a job named {@code args[0]}, with its files in {@code args[1]}; prints {@code running}
     * once the call runs on the job's worker.
     *
     * @param args the job's name and the directory
     */
    public static void main(String[] args) {
        SlurmJobs jobs = SlurmJobs.builder()
                .jobName(args[0])
                .directory(Path.of(args[1]))
                .walltime(Duration.ofMinutes(5))
                .build();
        Flow.of("killed-driver", HazelcastTaskRunner.builder().slurmJobs(jobs).build(), () -> {
                    System.out.println("running");
                    System.out.flush();
                    return FOREVER.submit(1).result();
                })
                .call();
    }
}
