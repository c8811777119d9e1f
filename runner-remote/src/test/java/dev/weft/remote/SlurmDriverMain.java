package dev.weft.remote;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver of a flow inside a SLURM job, as a job script runs it after {@code srun ... --slurm &}: joins
 * the job's workers through {@link HazelcastTaskRunner#slurm()}, runs 200 calls, and writes where each ran.
 */
public final class SlurmDriverMain {
    /** Says which job and which of its tasks the call ran in, as the worker's environment tells. */
    static final Task1<Integer, String> WHERE = Task.of(
            "where",
            (Integer i) -> i + " " + System.getenv("SLURM_JOB_ID") + " " + System.getenv("SLURM_PROCID") + " "
                    + Thread.currentThread().getName());

    private SlurmDriverMain() {}

    /**
     * Runs the flow and writes one line per call to {@code args[0]}: {@code <i> <job id> <task rank> <thread>}.
     *
     * @param args the file to write
     * @throws Exception if the flow or the file fails
     */
    public static void main(String[] args) throws Exception {
        List<String> lines = Flow.of("in-the-allocation", HazelcastTaskRunner.slurm(), () -> {
                    List<TaskFuture<String>> futures = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        futures.add(WHERE.submit(i));
                    }
                    return futures.stream().map(TaskFuture::result).toList();
                })
                .call();
        Files.write(Path.of(args[0]), lines);
        System.exit(0);
    }
}
