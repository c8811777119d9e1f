package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Weft in a real SLURM ({@code slurmctld} and {@code slurmd} on this machine, as {@code .ci/slurm/up} starts
 * them): workers started by {@code srun} inside an {@code sbatch} job, with the allocation's CPUs as threads,
 * and worker jobs that a driver on a "login node" submits, scales, replaces and cancels. Where SLURM is not
 * running and cannot be started (not root, no {@code apt-get}), the tests skip saying so, and fail in CI.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
final class SlurmTest {
    private static final Path SCRIPTS =
            Path.of("..", ".ci", "slurm").toAbsolutePath().normalize();
    private static boolean startedHere;

    @TempDir
    Path dir;

    @BeforeAll
    static void slurm() throws Exception {
        if (idle()) {
            return;
        }
        String why;
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(SCRIPTS.resolve("up"))) {
            why = "SLURM is not running here, and only root can start it (" + SCRIPTS.resolve("up") + ")";
        } else {
            Run up = run(Duration.ofMinutes(5), "bash", SCRIPTS.resolve("up").toString());
            startedHere = up.exit == 0;
            why = startedHere && idle() ? null : "SLURM could not be started here: " + up.output.strip();
        }
        if (why != null) {
            assertThat(System.getenv("CI"))
                    .as("CI runs the SLURM tests, and " + why)
                    .isNotEqualTo("true");
            Assumptions.abort(why);
        }
    }

    @AfterAll
    static void stopWhatThisStarted() throws Exception {
        if (startedHere) {
            run(Duration.ofMinutes(1), "bash", SCRIPTS.resolve("down").toString());
        }
    }

    private static boolean idle() throws Exception {
        Run sinfo;
        try {
            sinfo = run(Duration.ofSeconds(20), "sinfo", "-h", "-o", "%T");
        } catch (java.io.IOException e) {
            return false; // SLURM is not installed: up installs it
        }
        return sinfo.exit == 0 && sinfo.output.lines().anyMatch(s -> s.startsWith("idle") || s.startsWith("mix"));
    }

    @Test
    void shouldRunAFlowOnTheWorkersThatSrunStartsInAnSbatchJob() throws Exception {
        String secret = HexFormat.of()
                .formatHex(ThreadLocalRandom.current()
                        .ints(16, 0, 256)
                        .collect(java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> {})
                        .toByteArray());
        Path results = dir.resolve("results.txt");
        List<String> worker = LocalCluster.workerCommand(List.of());
        List<String> driver = new ArrayList<>(worker.subList(0, worker.size() - 1));
        driver.add(SlurmDriverMain.class.getName());
        driver.add(results.toString());
        String script = String.join(
                "\n",
                "#!/usr/bin/env bash",
                "#SBATCH --job-name=weft-test-in-job",
                "#SBATCH --nodes=1 --ntasks=2 --cpus-per-task=2 --time=3",
                "#SBATCH --output=" + dir.resolve("job-%j.out"),
                "export WEFT_CLUSTER_SECRET=" + secret,
                "srun " + bash(worker) + " --slurm &",
                bash(driver),
                "status=$?",
                "kill %1 2> /dev/null",
                "wait",
                "exit $status",
                "");
        Path file = Files.writeString(dir.resolve("job.sbatch"), script);

        String job = submit(file);
        awaitGone(job, Duration.ofSeconds(120));

        String output = Files.readString(dir.resolve("job-" + job + ".out"));
        assertThat(results)
                .as("the driver's results; the job printed:%n%s", output)
                .exists();
        List<String[]> ran =
                Files.readAllLines(results).stream().map(l -> l.split(" ")).toList();
        assertThat(ran)
                .hasSize(200)
                .allSatisfy(r -> assertThat(r[1]).as("the job of the worker").isEqualTo(job));
        assertThat(ran.stream().map(r -> r[2]).collect(Collectors.toSet()))
                .as("the ranks of the job's tasks that ran calls")
                .containsExactlyInAnyOrder("0", "1");
        Set<String> threads = ran.stream().map(r -> r[3]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(threads)
                .as(
                        "the threads that ran calls: each worker's 2, from --cpus-per-task=2 (the host has %d cores)",
                        Runtime.getRuntime().availableProcessors())
                .hasSize(4)
                .allMatch(t -> t.matches("weft-task-[01]@.+-call-[01]"));
    }

    /** On a worker job: sleeps a little, then says which job it ran in. */
    static final Task1<Integer, String> JOB = Task.of("job", (Integer i) -> {
        Thread.sleep(250);
        return System.getenv("SLURM_JOB_ID");
    });

    @Test
    void shouldSubmitWorkerJobsAddOneWhileCallsWaitAndCancelThemAtTheEnd() throws Exception {
        String name = "weft-test-"
                + HexFormat.of()
                        .formatHex(
                                new byte[] {(byte) ThreadLocalRandom.current().nextInt()});
        SlurmJobs jobs = SlurmJobs.builder()
                .cpus(1)
                .walltime(Duration.ofMinutes(3))
                .adapt(1, 2)
                .jobName(name)
                .directory(dir)
                .build();
        assertThat(jobs.jobScript())
                .startsWith("#!/usr/bin/env bash\n#SBATCH --job-name=" + name + "\n#SBATCH --ntasks=1\n")
                .contains(
                        "#SBATCH --cpus-per-task=1\n", "#SBATCH --time=0:03:00\n", "#SBATCH --output=DIR/job-%j.out\n")
                .contains(" --rendezvous DIR --cluster-name weft-CLUSTER --secret-file DIR/secret")
                .contains("--threads \"${SLURM_CPUS_PER_TASK:-1}\" --lifetime 162 --driver-file DIR/driver");

        List<String> ran = Flow.of(
                        "from-a-login-node",
                        HazelcastTaskRunner.builder().slurmJobs(jobs).build(),
                        () -> {
                            List<TaskFuture<String>> futures = new ArrayList<>();
                            for (int i = 0; i < 80; i++) {
                                futures.add(JOB.submit(i));
                            }
                            return futures.stream().map(TaskFuture::result).toList();
                        })
                .call();

        assertThat(ran).hasSize(80).doesNotContainNull();
        assertThat(new TreeSet<>(ran))
                .as("the jobs the calls ran in: the first, and one added")
                .hasSize(2);
        awaitQueueEmpty(name, Duration.ofSeconds(30));
    }

    @Test
    void shouldReplaceAWorkerWhoseLifetimeIsOverAndLoseNoCall() throws Exception {
        String name = "weft-test-life-" + ThreadLocalRandom.current().nextInt(1000);
        SlurmJobs jobs = SlurmJobs.builder()
                .cpus(1)
                .walltime(Duration.ofMinutes(1))
                .lifetime(Duration.ofSeconds(20)) // replaced 10 s ahead: a job and its JVM start well within
                .jobName(name)
                .directory(dir)
                .build();

        List<String> ran = Flow.of(
                        "outlives-its-workers",
                        HazelcastTaskRunner.builder().slurmJobs(jobs).build(),
                        () -> {
                            List<TaskFuture<String>> futures = new ArrayList<>();
                            for (int i = 0; i < 120; i++) { // 30 s of calls on the one thread of a job
                                futures.add(JOB.submit(i));
                            }
                            return futures.stream().map(TaskFuture::result).toList();
                        })
                .call();

        assertThat(ran).hasSize(120).doesNotContainNull();
        assertThat(new TreeSet<>(ran))
                .as("the first job, and the one that replaced it")
                .hasSizeGreaterThan(1);
        awaitQueueEmpty(name, Duration.ofSeconds(30));
    }

    @Test
    void shouldSayWhenAWorkerJobDoesNotStartWithinTheTimeoutAndCancelIt() throws Exception {
        String name = "weft-test-never-" + ThreadLocalRandom.current().nextInt(1000);
        SlurmJobs jobs = SlurmJobs.builder()
                .cpus(512) // more than the node has: it pends for ever
                .jobName(name)
                .directory(dir)
                .build();

        State<String> state = Flow.of(
                        "never-starts",
                        HazelcastTaskRunner.builder()
                                .slurmJobs(jobs)
                                .startTimeout(Duration.ofSeconds(5))
                                .build(),
                        () -> "never")
                .callForState();

        assertThat(state.type()).isEqualTo(StateType.CRASHED);
        assertThat(state.message())
                .contains("had no worker within the start timeout: it is PENDING (")
                .contains("; it was cancelled");
        awaitQueueEmpty(name, Duration.ofSeconds(30));
    }

    @Test
    void shouldEndTheWorkerJobsOfADriverThatWasKilled() throws Exception {
        String name = "weft-test-orphan-" + ThreadLocalRandom.current().nextInt(1000);
        List<String> command = new ArrayList<>(LocalCluster.workerCommand(List.of()));
        command.set(command.size() - 1, SlurmLoginDriverMain.class.getName());
        command.addAll(List.of(name, dir.toString()));
        Process driver = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("driver.log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(dir.resolve("driver.log")).contains("running")) {
                assertThat(driver.isAlive())
                        .as("the driver; it printed: %s", Files.readString(dir.resolve("driver.log")))
                        .isTrue();
                assertThat(System.nanoTime() < deadline)
                        .as("the driver's flow runs within 60 s")
                        .isTrue();
                Thread.sleep(200);
            }
            assertThat(run(Duration.ofSeconds(20), "squeue", "-h", "-n", name).output)
                    .isNotBlank();

            driver.destroyForcibly(); // SIGKILL: no shutdown hook runs, nothing is cancelled by the driver
            driver.waitFor(10, TimeUnit.SECONDS);

            // the worker sees the driver's file go silent for 30 s, stops, and its job ends
            awaitQueueEmpty(name, Duration.ofSeconds(60));
        } finally {
            driver.destroyForcibly();
            run(Duration.ofSeconds(20), "scancel", "-n", name);
        }
    }

    private static String submit(Path script) throws Exception {
        Run sbatch = run(Duration.ofSeconds(30), "sbatch", "--parsable", script.toString());
        assertThat(sbatch.exit).as("sbatch: %s", sbatch.output).isZero();
        return sbatch.output.strip().split(";")[0];
    }

    private static void awaitGone(String job, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!run(Duration.ofSeconds(20), "squeue", "-h", "-j", job).output.isBlank()) {
            if (System.nanoTime() > deadline) {
                run(Duration.ofSeconds(20), "scancel", job);
                throw new AssertionError("SLURM job " + job + " still runs after " + limit.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
    }

    private static void awaitQueueEmpty(String jobName, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        String left;
        while (!(left = run(Duration.ofSeconds(20), "squeue", "-h", "-n", jobName, "-o", "%i %T").output).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("jobs named " + jobName + " are left in the queue: " + left);
            }
            Thread.sleep(250);
        }
    }

    private static String bash(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    private record Run(int exit, String output) {}

    private static Run run(Duration limit, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, String.join(" ", command) + " did not end within " + limit.toSeconds() + " s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
