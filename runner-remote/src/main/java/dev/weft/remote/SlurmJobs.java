package dev.weft.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker jobs that a runner on a login node submits to SLURM with {@code sbatch}, as dask-jobqueue's {@code
 * SLURMCluster} does: each job runs one worker with the job's CPUs as its threads and its GPUs as its {@code
 * GPU}. The runner keeps between {@link Builder#minimum} and {@link Builder#maximum} jobs, adding them while
 * calls wait and cancelling idle ones, cancels every job of its own when the flow run ends or its JVM is
 * stopped, and replaces a worker whose {@link Builder#lifetime lifetime} (shorter than the walltime) is over.
 * {@link #jobScript()} is the script it submits.
 *
 * {@snippet :
 * SlurmJobs jobs = SlurmJobs.builder()
 *         .cpus(4)
 *         .memory("8G")
 *         .partition("batch")
 *         .walltime(Duration.ofHours(1))
 *         .adapt(1, 10)
 *         .build();
 * System.out.println(jobs.jobScript()); // what sbatch gets
 * HazelcastTaskRunner runner = HazelcastTaskRunner.builder().slurmJobs(jobs).build();
 * }
 *
 * <p>The driver and the jobs share a directory ({@link Builder#directory}, by default under Weft's home, as
 * a cluster's home directories are shared): the cluster secret, the job script, each job's output, and one
 * file per worker that says where it listens, which is how the jobs' workers find each other and the driver
 * finds them. The driver touches a file there every few seconds; workers whose driver has been silent for
 * {@value WeftWorker#DRIVER_SILENCE_SECONDS} seconds (it was killed) stop, and their jobs end.
 */
public final class SlurmJobs {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmJobs.class);

    private final Builder settings;

    private SlurmJobs(Builder settings) {
        this.settings = settings;
    }

    /**
     * Returns a builder: one job of 1 CPU at a time, a walltime of an hour.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the job script that {@code sbatch} is given for each worker, for a cluster whose name and
     * directory are placeholders here ({@code weft-CLUSTER}, {@code DIR}).
     *
     * @return the script
     */
    public String jobScript() {
        return script("weft-CLUSTER", Path.of("DIR"));
    }

    int minimum() {
        return settings.minimum;
    }

    int maximum() {
        return settings.maximum;
    }

    int cpus() {
        return settings.cpus;
    }

    /** The script of one worker job of a cluster. */
    String script(String clusterName, Path directory) {
        List<String> lines = new ArrayList<>();
        lines.add("#!/usr/bin/env bash");
        lines.add("#SBATCH --job-name=" + settings.jobName);
        lines.add("#SBATCH --ntasks=1");
        lines.add("#SBATCH --cpus-per-task=" + settings.cpus);
        if (settings.memory != null) {
            lines.add("#SBATCH --mem=" + settings.memory);
        }
        if (settings.gpus > 0) {
            lines.add("#SBATCH --gpus-per-task=" + settings.gpus);
        }
        if (settings.partition != null) {
            lines.add("#SBATCH --partition=" + settings.partition);
        }
        if (settings.account != null) {
            lines.add("#SBATCH --account=" + settings.account);
        }
        lines.add("#SBATCH --time=" + walltime(settings.walltime));
        lines.add("#SBATCH --output=" + directory.resolve("job-%j.out"));
        for (String d : settings.directives) {
            lines.add("#SBATCH " + d);
        }
        lines.add("");
        List<String> command = LocalCluster.workerCommand(settings.jvmOptions);
        command.addAll(List.of(
                "--name",
                "job-$SLURM_JOB_ID",
                "--rendezvous",
                directory.toString(),
                "--cluster-name",
                clusterName,
                "--secret-file",
                directory.resolve("secret").toString(),
                "--threads",
                "${SLURM_CPUS_PER_TASK:-" + settings.cpus + "}",
                "--lifetime",
                Long.toString(lifetime().toSeconds()),
                "--driver-file",
                directory.resolve("driver").toString()));
        if (settings.gpus > 0) {
            command.addAll(List.of("--resources", "GPU=" + settings.gpus));
        }
        lines.add("exec " + command.stream().map(SlurmJobs::quote).collect(Collectors.joining(" ")));
        return String.join("\n", lines) + "\n";
    }

    /** Quotes a word for bash, leaving {@code $SLURM...} and {@code ${...}} to be expanded. */
    private static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./:=,@%+-]+")) {
            return word;
        }
        if (word.contains("$")) {
            return "\"" + word.replace("\"", "\\\"") + "\"";
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The worker's lifetime: as set, or the walltime less a minute (a tenth of it for a short walltime). */
    Duration lifetime() {
        if (settings.lifetime != null) {
            return settings.lifetime;
        }
        Duration margin = settings.walltime.compareTo(Duration.ofMinutes(10)) >= 0
                ? Duration.ofMinutes(1)
                : settings.walltime.dividedBy(10);
        return settings.walltime.minus(margin);
    }

    private static String walltime(Duration d) {
        long minutes = Math.max(1, (d.toSeconds() + 59) / 60);
        return String.format("%d:%02d:00", minutes / 60, minutes % 60);
    }

    Pool pool(String clusterName, Path directory, ClusterSecret secret) {
        return new Pool(clusterName, directory, secret);
    }

    @Override
    public String toString() {
        return "SLURM jobs of " + settings.cpus + (settings.cpus == 1 ? " CPU" : " CPUs")
                + (settings.gpus > 0 ? ", " + settings.gpus + " GPU" : "")
                + (settings.partition != null ? " in partition " + settings.partition : "") + ", walltime "
                + walltime(settings.walltime);
    }

    /** The jobs of one flow run's cluster. */
    final class Pool implements WorkerPool {
        private final String clusterName;
        private final Path directory;
        private final Path script;
        private final Path driverFile;
        /** Job id by worker name, of the jobs submitted and not yet cancelled. */
        private final Map<String, String> jobs = new LinkedHashMap<>();
        /** When each job was submitted, by worker name. */
        private final Map<String, Long> submittedAt = new java.util.HashMap<>();

        private final Thread hook = new Thread(this::cancelAll, "weft-slurm-cancel");
        private final Thread heartbeat;
        private volatile long queueReadAt;
        private volatile String queue = "";

        private Pool(String clusterName, Path directory, ClusterSecret secret) {
            this.clusterName = clusterName;
            this.directory = directory;
            try {
                Files.createDirectories(directory);
                Path secretFile = directory.resolve("secret");
                Files.deleteIfExists(secretFile);
                Files.createFile(
                        secretFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(secretFile, secret.asText(), StandardCharsets.UTF_8);
                this.script = directory.resolve("worker.sbatch");
                Files.writeString(script, script(clusterName, directory), StandardCharsets.UTF_8);
                this.driverFile = directory.resolve("driver");
                Files.writeString(driverFile, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot prepare the SLURM jobs' directory " + directory, e);
            }
            Runtime.getRuntime().addShutdownHook(hook);
            heartbeat =
                    Thread.ofPlatform().daemon().name("weft-slurm-heartbeat").start(this::beat);
        }

        Path directory() {
            return directory;
        }

        /** Touches the driver's file while the pool is open: the workers' sign that it lives. */
        private void beat() {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Files.setLastModifiedTime(driverFile, FileTime.fromMillis(System.currentTimeMillis()));
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    LOG.warn("Cannot touch {}; the SLURM workers stop when it is silent: {}", driverFile, e.toString());
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }

        /**
         * Submits the jobs. With no worker in the cluster yet, submits one and waits until its worker says
         * where it listens, so that the others join it rather than start clusters of their own.
         */
        @Override
        public List<String> start(int count, long deadlineNanos) {
            List<String> names = new ArrayList<>();
            if (count <= 0) {
                return names;
            }
            boolean first = Rendezvous.read(directory).isEmpty();
            String name = submit();
            names.add(name);
            if (first) {
                awaitFirst(name, deadlineNanos);
            }
            for (int i = 1; i < count; i++) {
                names.add(submit());
            }
            return names;
        }

        /** The addresses of the workers that have said where they listen. */
        List<String> addresses() {
            return Rendezvous.read(directory);
        }

        private String submit() {
            Run run = Run.of(List.of(settings.sbatch, "--parsable", script.toString()));
            if (run.exit != 0) {
                throw new IllegalStateException(
                        "sbatch refused the worker job of cluster '" + clusterName + "': " + run.output.strip());
            }
            String id = run.output.strip().split(";")[0];
            String name = "job-" + id;
            synchronized (jobs) {
                jobs.put(name, id);
                submittedAt.put(name, System.nanoTime());
            }
            LOG.info("Submitted SLURM job {} for worker '{}' of cluster '{}'", id, name, clusterName);
            return name;
        }

        private void awaitFirst(String name, long deadlineNanos) {
            String id;
            synchronized (jobs) {
                id = jobs.get(name);
            }
            while (Rendezvous.read(directory).isEmpty()) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    String state = state(id);
                    cancel(name);
                    throw new IllegalStateException("SLURM job " + id + " of cluster '" + clusterName
                            + "' had no worker within the start timeout: "
                            + (state.isEmpty()
                                    ? "it is no longer in the queue; its output is in "
                                            + directory.resolve("job-" + id + ".out")
                                    : "it is " + state)
                            + "; it was cancelled");
                }
                if (state(id).isEmpty() && Rendezvous.read(directory).isEmpty()) {
                    sleepQuietly(500); // its worker may have written its file as the job ended: look again
                    if (Rendezvous.read(directory).isEmpty() && state(id).isEmpty()) {
                        cancel(name);
                        throw new IllegalStateException("SLURM job " + id + " of cluster '" + clusterName
                                + "' ended before its worker started; its output is in "
                                + directory.resolve("job-" + id + ".out"));
                    }
                }
                sleepQuietly(200);
            }
        }

        /** The job's state and why, as squeue says, such as {@code PENDING (Resources)}; empty if it is gone. */
        String state(String id) {
            Run run = Run.of(List.of(settings.squeue, "-h", "-j", id, "-o", "%T (%r)"));
            return run.exit == 0 ? run.output.strip() : "";
        }

        @Override
        public int starting(java.util.Set<String> joined) {
            long now = System.nanoTime();
            if (now - queueReadAt > TimeUnit.SECONDS.toNanos(2)) {
                Run run = Run.of(List.of(settings.squeue, "-h", "-n", settings.jobName, "-o", "%i"));
                if (run.exit != 0) {
                    return 0; // the queue cannot be read now: count none, and look again later
                }
                queue = run.output;
                queueReadAt = now;
            }
            java.util.Set<String> queued = queue.lines().map(String::strip).collect(Collectors.toSet());
            long readAt = queueReadAt;
            int starting = 0;
            synchronized (jobs) {
                for (Map.Entry<String, String> job : jobs.entrySet()) {
                    // not joined, and queued, or too new for the queue as last read; else it has ended
                    if (!joined.contains(job.getKey())
                            && (queued.contains(job.getValue()) || submittedAt.get(job.getKey()) - readAt > 0)) {
                        starting++;
                    }
                }
            }
            return starting;
        }

        @Override
        public void stop(String name) {
            cancel(name);
        }

        private void cancel(String name) {
            String id;
            synchronized (jobs) {
                id = jobs.remove(name);
            }
            if (id != null) {
                Run.of(List.of(settings.scancel, id));
            }
        }

        private void cancelAll() {
            List<String> ids;
            synchronized (jobs) {
                ids = new ArrayList<>(jobs.values());
                jobs.clear();
            }
            if (!ids.isEmpty()) {
                List<String> command = new ArrayList<>(List.of(settings.scancel));
                command.addAll(ids);
                Run.of(command);
                LOG.info(
                        "Cancelled SLURM {} {} of cluster '{}'",
                        ids.size() == 1 ? "job" : "jobs",
                        String.join(", ", ids),
                        clusterName);
            }
        }

        @Override
        public void close() {
            heartbeat.interrupt();
            cancelAll();
            try {
                Files.deleteIfExists(driverFile);
            } catch (IOException e) {
                // the workers stop when it goes silent
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs anyway
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a SLURM job", e);
        }
    }

    /** A command's exit code and output, stdout and stderr together. */
    private record Run(int exit, String output) {
        static Run of(List<String> command) {
            try {
                Process p =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Run(-1, command.getFirst() + " did not answer within 60 s");
                }
                return new Run(p.exitValue(), out);
            } catch (IOException e) {
                return new Run(
                        -1,
                        "cannot run " + command.getFirst() + ": " + e.getMessage()
                                + " (is SLURM's client installed, and on the PATH?)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Run(-1, "interrupted");
            }
        }
    }

    /** The jobs' settings, as the arguments of dask-jobqueue's {@code SLURMCluster}. */
    public static final class Builder {
        private int cpus = 1;
        private String memory;
        private int gpus;
        private String partition;
        private String account;
        private Duration walltime = Duration.ofHours(1);
        private Duration lifetime;
        private List<String> directives = List.of();
        private List<String> jvmOptions = List.of();
        private int minimum = 1;
        private int maximum = 1;
        private String jobName = "weft-worker";
        private Path directory;
        private String sbatch = "sbatch";
        private String squeue = "squeue";
        private String scancel = "scancel";

        private Builder() {}

        /**
         * Each job's CPUs ({@code --cpus-per-task}): its worker's threads.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder cpus(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("A SLURM job needs at least 1 CPU, not " + count);
            }
            this.cpus = count;
            return this;
        }

        /**
         * Each job's memory ({@code --mem}), such as {@code 8G}; by default the partition's.
         *
         * @param amount as sbatch takes it
         * @return this builder
         */
        public Builder memory(String amount) {
            this.memory = Objects.requireNonNull(amount, "amount");
            return this;
        }

        /**
         * Each job's GPUs ({@code --gpus-per-task}): its worker's {@code GPU}.
         *
         * @param count 0 or more
         * @return this builder
         */
        public Builder gpus(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("A SLURM job has 0 GPUs or more, not " + count);
            }
            this.gpus = count;
            return this;
        }

        /**
         * The partition ({@code --partition}); by default the cluster's default.
         *
         * @param name the partition
         * @return this builder
         */
        public Builder partition(String name) {
            this.partition = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The account charged ({@code --account}).
         *
         * @param name the account
         * @return this builder
         */
        public Builder account(String name) {
            this.account = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Each job's walltime ({@code --time}), in whole minutes; an hour by default.
         *
         * @param time at least a minute
         * @return this builder
         */
        public Builder walltime(Duration time) {
            if (time.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("A SLURM job's walltime is a minute or more, not " + time);
            }
            this.walltime = time;
            return this;
        }

        /**
         * How long each worker runs before it stops, and its job with it, so that SLURM never kills it at the
         * walltime with calls on it: the runner replaces it. By default the walltime less a minute (less a
         * tenth, for a walltime under ten minutes).
         *
         * @param time shorter than the walltime
         * @return this builder
         */
        public Builder lifetime(Duration time) {
            if (time.isNegative() || time.isZero()) {
                throw new IllegalArgumentException("A worker's lifetime is positive, not " + time);
            }
            this.lifetime = time;
            return this;
        }

        /**
         * More {@code #SBATCH} lines, such as {@code --constraint=a100} or {@code --qos=long}.
         *
         * @param lines the directives, without {@code #SBATCH}
         * @return this builder
         */
        public Builder directives(String... lines) {
            this.directives = List.of(lines);
            return this;
        }

        /**
         * Options of the workers' JVMs, such as {@code -Xmx6g}.
         *
         * @param options the options
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            this.jvmOptions = List.of(options);
            return this;
        }

        /**
         * Keeps between {@code minimum} and {@code maximum} jobs: more while calls wait for a thread, fewer
         * when workers idle; 1 and 1 by default.
         *
         * @param minimum at least 1
         * @param maximum at least the minimum
         * @return this builder
         */
        public Builder adapt(int minimum, int maximum) {
            if (minimum < 1 || maximum < minimum) {
                throw new IllegalArgumentException("SLURM jobs adapt between a minimum of at least 1 and a maximum"
                        + " of at least the minimum, not " + minimum + " and " + maximum);
            }
            this.minimum = minimum;
            this.maximum = maximum;
            return this;
        }

        /**
         * Each job's name in the queue; {@code weft-worker} by default.
         *
         * @param name the name
         * @return this builder
         */
        public Builder jobName(String name) {
            this.jobName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The directory the driver shares with the jobs; by default {@code slurm/<cluster>} in Weft's home.
         * It must be on a file system the compute nodes see.
         *
         * @param shared the directory
         * @return this builder
         */
        public Builder directory(Path shared) {
            this.directory = Objects.requireNonNull(shared, "shared");
            return this;
        }

        Path directory() {
            return directory;
        }

        /**
         * Builds the settings.
         *
         * @return the jobs' settings
         * @throws IllegalArgumentException if the lifetime is not shorter than the walltime
         */
        public SlurmJobs build() {
            if (lifetime != null && lifetime.compareTo(walltime) >= 0) {
                throw new IllegalArgumentException("A worker's lifetime (" + lifetime + ") must be shorter than its"
                        + " job's walltime (" + walltime + "), or SLURM kills it with calls on it");
            }
            Builder copy = new Builder();
            copy.cpus = cpus;
            copy.memory = memory;
            copy.gpus = gpus;
            copy.partition = partition;
            copy.account = account;
            copy.walltime = walltime;
            copy.lifetime = lifetime;
            copy.directives = directives;
            copy.jvmOptions = jvmOptions;
            copy.minimum = minimum;
            copy.maximum = maximum;
            copy.jobName = jobName;
            copy.directory = directory;
            return new SlurmJobs(copy);
        }
    }

    Path directory() {
        return settings.directory;
    }
}
