package dev.weft.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.remote.ClusterSecret;
import dev.weft.remote.HazelcastTaskRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code weft worker}: its usage errors, which start nothing, and real workers on free loopback ports, each
 * in a cluster of its own name, stopped before the test ends.
 */
@Timeout(120)
class WorkerCommandTest {
    private static final String SECRET = "a secret that only this test's workers and runner share";

    /** Says which worker thread ran it: the thread's name holds the worker's Hazelcast instance name. */
    static final Task1<Integer, String> WHERE =
            Task.of("where", (Integer i) -> Thread.currentThread().getName());

    @TempDir
    Path dir;

    private final List<Running> started = new ArrayList<>();

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Running running : started.reversed()) {
            running.stop();
        }
    }

    @Test
    void shouldAskForAClusterSecretWithExitCode2() {
        Console.Result result = worker(Map.of());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft worker: no cluster secret: set WEFT_CLUSTER_SECRET or give --secret-file FILE,"
                        + " with the same secret of 16 characters or more on every worker and runner of the cluster");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldReportATooShortSecretNamingWhereItCameFromWithExitCode2() throws IOException {
        Path file = Files.writeString(dir.resolve("short.secret"), "short\n");

        assertThat(worker(Map.of(), "--secret-file", file.toString()).errLines())
                .containsExactly(
                        "weft worker: --secret-file " + file + ": A cluster secret needs at least 16 bytes, not 5");
        assertThat(worker(Map.of("WEFT_CLUSTER_SECRET", "abc")).errLines())
                .containsExactly("weft worker: WEFT_CLUSTER_SECRET: A cluster secret needs at least 16 bytes, not 3");
        Path missing = dir.resolve("missing.secret");
        Console.Result unreadable = worker(Map.of(), "--secret-file", missing.toString());
        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.errLines())
                .singleElement()
                .asString()
                .startsWith("weft worker: --secret-file: Cannot read the cluster secret from " + missing + ": ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GPU", "GPU=", "=1", "GPU=one", "GPU=-1", "GPU=1,,process=1", "GPU=1;process=1"})
    void shouldRejectResourcesThatAreNotNameAmountPairsWithExitCode2(String resources) throws IOException {
        Console.Result result = worker(Map.of(), "--secret-file", secretFile().toString(), "--resources", resources);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("weft worker: --resources: cannot read '")
                .endsWith("': write NAME=AMOUNT pairs separated by commas, each AMOUNT a number of zero or more,"
                        + " such as GPU=1,process=1");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldRejectAResourceGivenTwiceOrTooFineWithExitCode2() throws IOException {
        String secret = secretFile().toString();

        assertThat(worker(Map.of(), "--secret-file", secret, "--resources", "GPU=1,GPU=2")
                        .errLines())
                .containsExactly("weft worker: --resources: 'GPU' is given twice");
        assertThat(worker(Map.of(), "--secret-file", secret, "--resources", "GPU=0.0000001")
                        .errLines())
                .containsExactly(
                        "weft worker: --resources: cannot read 'GPU=0.0000001': amounts go down to a millionth, 0.000001");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "127.0.0.1:port", ":5701"})
    void shouldRejectAnAddressThatIsNotHostPortWithExitCode2(String address) throws IOException {
        Console.Result result = worker(Map.of(), "--secret-file", secretFile().toString(), "--address", address);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("weft worker: --address: Cannot read address '" + address
                        + "': write it as HOST:PORT, such as 127.0.0.1:5701");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldRejectAnAddressThatNoInterfaceOfThisMachineHasWithExitCode2() throws IOException {
        String secret = secretFile().toString();

        // 192.0.2.0/24 is TEST-NET-1, for documentation: no machine's interface has it
        Console.Result foreign = worker(Map.of(), "--secret-file", secret, "--address", "192.0.2.1:5701");
        Console.Result named = worker(Map.of(), "--secret-file", secret, "--address", "localhost:5701");

        assertThat(foreign.exitCode()).isEqualTo(2);
        assertThat(foreign.errLines())
                .containsExactly(
                        "weft worker: --address: no network interface of this machine has the address 192.0.2.1");
        assertThat(named.exitCode()).isEqualTo(2);
        assertThat(named.errLines())
                .containsExactly("weft worker: --address: 'localhost:5701' needs the IPv4 address of the interface"
                        + " to listen on, such as 127.0.0.1:5701, not 'localhost'");
    }

    @Test
    void shouldRejectOtherInvalidOptionsWithExitCode2() throws IOException {
        String secret = secretFile().toString();

        assertThat(worker(Map.of(), "--secret-file", secret, "--threads", "0").errLines())
                .containsExactly("weft worker: --threads: A worker needs at least one thread, not 0");
        assertThat(worker(Map.of(), "--secret-file", secret, "--join", "127.0.0.1:5701,nope")
                        .errLines())
                .containsExactly(
                        "weft worker: --join: Cannot read address 'nope': write it as HOST:PORT, such as 127.0.0.1:5701");
        assertThat(worker(Map.of(), "--secret-file", secret, "--cluster-name", " ")
                        .errLines())
                .containsExactly("weft worker: --cluster-name must not be empty");
        assertThat(worker(Map.of(), "--secret-file", secret, "--name", "").errLines())
                .containsExactly("weft worker: --name must not be empty");
        Console.Result notANumber = worker(Map.of(), "--secret-file", secret, "--threads", "two");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.errLines())
                .first()
                .isEqualTo("Invalid value for option '--threads': 'two' is not an int");
    }

    @Test
    void shouldServeOnItsPortUntilStoppedThenExit0() throws Exception {
        int port = freePort();
        String cluster = clusterName();

        Running worker = start(
                "--secret-file",
                secretFile().toString(),
                "--address",
                "127.0.0.1:" + port,
                "--threads",
                "2",
                "--resources",
                "GPU=1,process=1",
                "--cluster-name",
                cluster,
                "--name",
                "gpu-box");

        assertThat(worker.awaitLine())
                .isEqualTo("Weft worker 'gpu-box' at 127.0.0.1:" + port + " in cluster '" + cluster
                        + "', 2 threads, with {GPU=1, process=1}");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        }

        worker.command.stop();

        assertThat(worker.awaitExit()).isZero();
        assertThat(worker.err.toString()).isEmpty();
        assertClosed(port);
    }

    @Test
    void shouldDeclareTheWorkersGpusFromTheDevicesItSeesWithGpuAuto() throws Exception {
        try {
            dev.weft.gpu.GpuTaskRunner.hostDevices();
        } catch (dev.weft.gpu.OpenClUnavailableException e) {
            assertThat(System.getenv("CI"))
                    .as("CI runs this on PoCL, and " + e.getMessage())
                    .isNotEqualTo("true");
            org.junit.jupiter.api.Assumptions.abort(e.getMessage());
        }
        int port = freePort();
        Running worker = start(
                "--secret-file",
                secretFile().toString(),
                "--address",
                "127.0.0.1:" + port,
                "--resources",
                "GPU=auto,process=1",
                "--cluster-name",
                clusterName(),
                "--name",
                "auto-box");
        try {
            assertThat(worker.awaitLine())
                    .startsWith("Weft worker 'auto-box' at 127.0.0.1:" + port)
                    .containsPattern("with \\{GPU=[1-9][0-9]*, process=1\\} \\(GPU=auto: gpu-[0-9]+ = #[0-9]+ ");
        } finally {
            worker.stop();
        }
    }

    @Test
    void shouldRefuseSlurmOptionsOutsideAJobOrBesideTheAddressWithExitCode2() throws IOException {
        String secret = secretFile().toString();

        assertThat(worker(Map.of(), "--secret-file", secret, "--slurm").errLines())
                .containsExactly("weft worker: --slurm: SLURM_JOB_ID is not set: is this process inside a SLURM job?");
        assertThat(worker(Map.of(), "--secret-file", secret, "--slurm", "--address", "127.0.0.1:5701")
                        .errLines())
                .containsExactly("weft worker: --slurm chooses the address, the members to join and the cluster's"
                        + " name; not with --address (use --interface and --base-port)");
        assertThat(worker(Map.of(), "--secret-file", secret, "--interface", "lo")
                        .errLines())
                .containsExactly(
                        "weft worker: --interface and --base-port go with --slurm or --hostfile; without them, give"
                                + " --address");
        Map<String, String> job = Map.of("SLURM_JOB_ID", "7", "SLURM_JOB_NODELIST", "node01");
        assertThat(worker(job, "--secret-file", secret, "--slurm", "--interface", "nosuch0")
                        .errLines())
                .singleElement()
                .asString()
                .startsWith("weft worker: --interface: this machine has no network interface 'nosuch0'; it has [");
    }

    @Test
    void shouldStartAWorkerOfTheSlurmJobWithTheAllocationsThreads() throws Exception {
        int base = freePort();
        String secret = secretFile().toString();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine weft = command(
                Map.of(
                        "SLURM_JOB_ID", "7",
                        "SLURM_JOB_NODELIST", "node[01-02]",
                        "SLURMD_NODENAME", "node01",
                        "SLURM_PROCID", "0",
                        "SLURM_LOCALID", "0",
                        "SLURM_CPUS_PER_TASK", "3"),
                out,
                err);
        AtomicInteger exitCode = new AtomicInteger(-1);
        Thread thread = new Thread(
                () -> exitCode.set(weft.execute(
                        "worker",
                        "--secret-file",
                        secret,
                        "--slurm",
                        "--interface",
                        "lo",
                        "--base-port",
                        Integer.toString(base))),
                "weft-worker-command");
        Running running = new Running(workerCommand(weft), thread, out, err, exitCode);
        started.add(running);
        thread.start();

        assertThat(running.awaitLine())
                .isEqualTo("Weft worker 'task-0@node01' at 127.0.0.1:" + base + " in cluster 'slurm-7', 3 threads");
        running.stop();
        assertThat(running.exitCode().get()).isZero();
    }

    @Test
    void shouldStartAWorkerOfTheHostsOfAHostFileForAnotherScheduler() throws Exception {
        String host = InetAddress.getLocalHost().getHostName();
        Path hosts = Files.writeString(
                dir.resolve("nodefile"), "# as $PBS_NODEFILE\nother-node\n" + host + "\n" + host + "\n");
        int base = freePort();
        Running worker = start(
                "--secret-file",
                secretFile().toString(),
                "--hostfile",
                hosts.toString(),
                "--job-id",
                "1234.pbs-server",
                "--interface",
                "lo",
                "--base-port",
                Integer.toString(base),
                "--threads",
                "2");
        try {
            assertThat(worker.awaitLine())
                    .isEqualTo("Weft worker 'task-1@" + host + "' at 127.0.0.1:" + base
                            + " in cluster 'slurm-1234.pbs-server', 2 threads");
        } finally {
            worker.stop();
        }
        assertThat(worker(Map.of(), "--secret-file", secretFile().toString(), "--hostfile", hosts.toString())
                        .errLines())
                .containsExactly(
                        "weft worker: --hostfile: give --job-id: no $PBS_JOBID, $LSB_JOBID or $JOB_ID names the job");
    }

    @Test
    void shouldStopTheWorkerWhenItsThreadIsInterrupted() throws Exception {
        int port = freePort();
        Running worker = start(
                "--secret-file",
                secretFile().toString(),
                "--address",
                "127.0.0.1:" + port,
                "--cluster-name",
                clusterName());
        assertThat(worker.awaitLine()).startsWith("Weft worker 'worker@127.0.0.1:" + port + "' at 127.0.0.1:" + port);

        worker.thread.interrupt();

        assertThat(worker.awaitExit()).isZero();
        assertClosed(port);
    }

    @Test
    void shouldRunTheCallsOfARunnerGivenTheAddressOfOneOfTwoWorkers() throws Exception {
        int first = freePort();
        int second = freePort();
        String cluster = clusterName();
        String secret = secretFile().toString();
        Running a = start(
                "--secret-file", secret, "--address", "127.0.0.1:" + first, "--cluster-name", cluster, "--name", "a");
        a.awaitLine();
        Running b = start(
                "--secret-file",
                secret,
                "--address",
                "127.0.0.1:" + second,
                "--join",
                "127.0.0.1:" + first,
                "--cluster-name",
                cluster,
                "--name",
                "b");
        b.awaitLine();

        List<String> threads = Flow.of("on-workers", () -> {
                    List<TaskFuture<String>> futures = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        futures.add(WHERE.submit(i));
                    }
                    return futures.stream().map(TaskFuture::result).toList();
                })
                .withTaskRunner(HazelcastTaskRunner.builder()
                        .address("127.0.0.1:" + first)
                        .clusterName(cluster)
                        .secret(ClusterSecret.of(SECRET))
                        .startTimeout(Duration.ofSeconds(30))
                        .build())
                .call();

        // each call ran on a thread of worker 'a' or worker 'b'
        assertThat(threads).hasSize(8).allSatisfy(thread -> assertThat(thread).matches("weft-[ab]-call-\\d+"));
        b.command.stop();
        a.command.stop();
        assertThat(b.awaitExit()).isZero();
        assertThat(a.awaitExit()).isZero();
    }

    /**
     * SIGTERM, as {@code kill} and service managers send it, runs the shutdown hook: it closes the worker, and
     * the JVM exits 0 rather than Java's 143.
     */
    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void shouldCloseTheWorkerAndExit0OnSigterm() throws Exception {
        int port = freePort();
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Weft.class.getName(),
                        "worker",
                        "--secret-file",
                        secretFile().toString(),
                        "--address",
                        "127.0.0.1:" + port,
                        "--cluster-name",
                        clusterName())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            String line = "Weft worker 'worker@127.0.0.1:" + port + "' at 127.0.0.1:" + port;
            awaitTrue(
                    () -> read(out).lines().anyMatch(l -> l.startsWith(line)) || !process.isAlive(),
                    "the worker's line");
            assertThat(process.isAlive())
                    .as("the worker; it printed: %s%s", read(out), read(err))
                    .isTrue();

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue())
                    .as("the exit code; stderr: %s", read(err))
                    .isZero();
        } finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Runs {@code weft worker ARGS} on this thread with {@code environment} as its environment variables. */
    private static Console.Result worker(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine weft = command(environment, out, err);
        int exitCode = weft.execute(
                Stream.concat(Stream.of("worker"), Arrays.stream(args)).toArray(String[]::new));
        return new Console.Result(exitCode, out.toString(), err.toString());
    }

    private static CommandLine command(Map<String, String> environment, StringWriter out, StringWriter err) {
        CommandLine weft =
                Weft.commandLine(List.of()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        workerCommand(weft).environment = environment::get;
        return weft;
    }

    private static WorkerCommand workerCommand(CommandLine weft) {
        return weft.getSubcommands().get("worker").getCommand();
    }

    /** Starts {@code weft worker ARGS} on a thread of its own, without a secret in its environment. */
    private Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine weft = command(Map.of(), out, err);
        AtomicInteger exitCode = new AtomicInteger(-1);
        String[] line = Stream.concat(Stream.of("worker"), Arrays.stream(args)).toArray(String[]::new);
        Thread thread = new Thread(() -> exitCode.set(weft.execute(line)), "weft-worker-command");
        Running running = new Running(workerCommand(weft), thread, out, err, exitCode);
        started.add(running);
        thread.start();
        return running;
    }

    /** A {@code weft worker} command that runs on a thread of this JVM. */
    private record Running(
            WorkerCommand command, Thread thread, StringWriter out, StringWriter err, AtomicInteger exitCode) {
        /** Waits for the line the command prints once its worker has started, and returns it. */
        String awaitLine() {
            awaitTrue(() -> out.toString().contains("\n") || !thread.isAlive(), "the worker's line");
            assertThat(out.toString())
                    .as("the command's output; stderr: %s", err)
                    .contains("\n");
            return out.toString().lines().findFirst().orElseThrow();
        }

        /** Waits for the command to return, and returns its exit code. */
        int awaitExit() throws InterruptedException {
            thread.join(Duration.ofSeconds(30));
            assertThat(thread.isAlive())
                    .as("the command's thread, 30 s after it was stopped")
                    .isFalse();
            return exitCode.get();
        }

        /** Stops the worker and waits for the command to return: whatever the test did, nothing is left. */
        void stop() throws InterruptedException {
            command.stop();
            thread.interrupt();
            thread.join(Duration.ofSeconds(30));
        }
    }

    private Path secretFile() throws IOException {
        Path file = dir.resolve("cluster.secret");
        if (Files.notExists(file)) {
            Files.writeString(file, SECRET + "\n");
        }
        return file;
    }

    /** A cluster name of this test's own, so that its workers never meet another test's. */
    private static String clusterName() {
        return "weft-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void assertClosed(int port) {
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                    }
                })
                .as("a connection to the stopped worker's port")
                .isInstanceOf(ConnectException.class);
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited 60 s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
