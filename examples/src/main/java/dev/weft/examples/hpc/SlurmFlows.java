package dev.weft.examples.hpc;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.remote.HazelcastTaskRunner;
import dev.weft.remote.SlurmJobs;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A flow on SLURM worker jobs that the flow's process submits from a login node, as {@code docs/hpc.md}
 * shows. It needs a SLURM cluster, so it is no demo; the tests of {@code runner-remote} run the same on a
 * real one.
 */
public final class SlurmFlows {
    private SlurmFlows() {}

    static final Task1<Integer, Double> simulate = Task.of("simulate", (Integer seed) -> {
        java.util.Random random = new java.util.Random(seed);
        return IntStream.range(0, 1_000_000)
                .mapToDouble(i -> random.nextGaussian())
                .sum();
    });

    /**
     * Returns the flow of 1,000 simulations on worker jobs of 8 CPUs, between 1 and 10 of them.
     *
     * @return the flow
     */
    public static Flow<List<Double>> onWorkerJobs() {
        // snippet:slurm-jobs
        SlurmJobs jobs = SlurmJobs.builder()
                .cpus(8) //                       --cpus-per-task: each worker's threads
                .memory("16G") //                 --mem
                .gpus(1) //                       --gpus-per-task: each worker's GPU
                .partition("batch")
                .account("proj42")
                .walltime(Duration.ofHours(2)) // --time
                .directives("--constraint=a100", "--qos=normal")
                .adapt(1, 10) //                  between 1 and 10 jobs
                .build();
        System.out.println(jobs.jobScript()); // what sbatch gets, as dask-jobqueue's job_script()

        HazelcastTaskRunner runner =
                HazelcastTaskRunner.builder().slurmJobs(jobs).build();
        return Flow.of("simulations", runner, () -> {
            List<TaskFuture<Double>> runs =
                    IntStream.range(0, 1_000).mapToObj(simulate::submit).toList();
            return runs.stream().map(TaskFuture::result).toList();
        });
        // end-snippet:slurm-jobs
    }
}
