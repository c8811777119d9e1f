package dev.weft.jmh;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.cluster.Member;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.weft.Flow;
import dev.weft.FlowContext;
import dev.weft.FlowRunFuture;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.remote.HazelcastTaskRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serial;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Calls on a cluster of worker JVMs: Weft's {@link HazelcastTaskRunner} against the same calls sent with
 * Hazelcast's own {@link IExecutorService}, on clusters of the same shape: 2 member JVMs on loopback, started
 * from this JVM's class path (the jar), each running calls on an executor of 2 threads, reached through one
 * Hazelcast client in this JVM.
 *
 * <ul>
 *   <li>{@code calls}: 10,000 no-op calls (each returns its input), then every result taken and summed;
 *       an invocation throws if the sum is wrong. Scores are calls per second ({@code
 *       @OperationsPerInvocation(10_000)}).
 *   <li>{@code roundTrip100mb}: one call that takes a {@code double[]} of 100 MiB (13,107,200 doubles) and
 *       returns it; milliseconds per round trip (average time). The array comes back whole and is checked.
 * </ul>
 *
 * <p>The {@code runner} rows:
 *
 * <ul>
 *   <li>{@code weft-hazelcast}: {@code HazelcastTaskRunner.builder().workers(2).threadsPerWorker(2)}. A
 *       Weft flow run starts its own temporary cluster and stops it at its end, which takes seconds; to keep
 *       that out of the measurement, each trial is one flow run, started in {@code @Setup} with {@link
 *       Flow#start()}, whose body hands its {@link FlowContext} out and waits until {@code @TearDown}. Each
 *       invocation submits its calls into that flow run from the benchmark's thread through the context
 *       ({@link FlowContext#wrap(Callable)}), exactly as a body would, and takes every result. Each call is
 *       a task run with its states, placed on a worker with a free slot (its threads, and the calls sent
 *       ahead of them: about 20 ms of work per thread, by the calls' measured run time, up to 1,024), its
 *       arguments serialized ({@code CallEnvelope}; the task's function goes to each worker once), and sent
 *       with the other calls placed on that worker at once, in one signed (HMAC-SHA256) batch, with {@code
 *       IExecutorService.submitToMember}; what happens to the calls comes back in signed batches of events.
 *   <li>{@code hazelcast-executor}: the bare engine. The same 10,000 calls, each a {@code Serializable}
 *       {@code Callable} sent on its own with {@code submitToMember}, to the two members in turn, all
 *       submitted and then every {@code Future} awaited: no batching, but no limit on the calls in flight
 *       either, so the members' executors queue them.
 *   <li>{@code hazelcast-slots}: the bare engine with Weft's limit on calls in flight: a call is sent only
 *       when a member has one of its 2 threads free (as Weft's placement does), and its {@code Future}
 *       frees the slot when it completes (Hazelcast's async path, as Weft's runner uses). It tells how much
 *       of the gap between the two rows above is that limit rather than Weft's per-call work.
 * </ul>
 *
 * <p>Like for like: the bare rows' members are plain Hazelcast members started by {@link BareMember} with
 * the configuration Weft gives its workers (loopback only, TCP join, 31 partitions, the same heartbeat and
 * shutdown settings, Jet off, Java deserialization limited by a class filter to the calls' classes, an
 * executor of 2 threads), in JVMs started the same way (the same {@code java} and class path, no extra
 * options), and the client has the configuration of Weft's runner. Both send a {@code Serializable} object
 * that Hazelcast writes with Java serialization: Weft its envelope (the call's bytes and their signature),
 * the bare rows their {@code Callable}. A bare member's outcome comes back as the value itself, Weft's as
 * the signed bytes of its outcome. The cluster starts, and stops, outside the measurement in every row.
 *
 * <p>The forked JVM runs with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}: Hazelcast
 * runs its futures' callbacks on the common pool, or, where that pool has one thread (as on 2 cores), on a
 * new thread each. The member JVMs get no options in any row. The ratio: {@code weft-hazelcast /
 * hazelcast-executor}; {@code weft-hazelcast / hazelcast-slots} is the share Weft keeps of the bare engine
 * held to the same calls in flight.
 *
 * <pre>{@code
 * jmh/bench Remote
 * jmh/bench Remote.calls -p runner=hazelcast-executor,weft-hazelcast -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = Remote.COMMON_POOL)
public class Remote {
    static final int CALLS = 10_000;
    static final int WORKERS = 2;
    static final int THREADS = 2;
    /** 100 MiB of doubles. */
    static final int ARRAY_LENGTH = 13_107_200;

    static final String COMMON_POOL = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

    static final String WEFT_HAZELCAST = "weft-hazelcast";
    static final String HAZELCAST_EXECUTOR = "hazelcast-executor";
    static final String HAZELCAST_SLOTS = "hazelcast-slots";

    private static final long EXPECTED_SUM = (long) CALLS * (CALLS - 1) / 2;

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer x) -> x);
    private static final Task1<double[], double[]> ECHO = Task.of("echo", (double[] array) -> array);

    /** The cluster of the {@code calls} rows. */
    @State(Scope.Benchmark)
    public static class Calls {
        /** The row: Weft's runner, or a bare-Hazelcast baseline. */
        @Param({HAZELCAST_EXECUTOR, HAZELCAST_SLOTS, WEFT_HAZELCAST})
        public String runner;

        private Cluster cluster;

        /** Starts the row's cluster, and for Weft its flow run. */
        @Setup(Level.Trial)
        public void setUp() {
            cluster = Cluster.start(runner);
        }

        /** Stops it, and every JVM it started. */
        @TearDown(Level.Trial)
        public void tearDown() {
            cluster.close();
        }
    }

    /** The cluster of the {@code roundTrip100mb} rows, and the array they send. */
    @State(Scope.Benchmark)
    public static class RoundTrip {
        /** The row: Weft's runner, or a bare-Hazelcast baseline (one call: no limit on calls in flight). */
        @Param({HAZELCAST_EXECUTOR, WEFT_HAZELCAST})
        public String runner;

        private Cluster cluster;
        private double[] array;

        /** Starts the row's cluster, and makes the array: element {@code i} is {@code i}. */
        @Setup(Level.Trial)
        public void setUp() {
            array = new double[ARRAY_LENGTH];
            Arrays.setAll(array, i -> i);
            cluster = Cluster.start(runner);
        }

        /** Stops it, and every JVM it started. */
        @TearDown(Level.Trial)
        public void tearDown() {
            cluster.close();
        }
    }

    /**
     * Sends 10,000 no-op calls and awaits them all.
     *
     * @param state the row's cluster
     * @return the sum of their results, checked
     * @throws Exception if a call failed
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long calls(Calls state) throws Exception {
        long sum = state.cluster.calls();
        if (sum != EXPECTED_SUM) {
            throw new IllegalStateException(state.runner + ": the results sum to " + sum + ", not " + EXPECTED_SUM);
        }
        return sum;
    }

    /**
     * Sends the 100 MiB array to a worker and takes it back.
     *
     * @param state the row's cluster and the array
     * @return the array that came back, checked
     * @throws Exception if the call failed
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, time = 5)
    @Measurement(iterations = 5, time = 5)
    public double[] roundTrip100mb(RoundTrip state) throws Exception {
        double[] back = state.cluster.echo(state.array);
        if (back == state.array || back.length != ARRAY_LENGTH || back[ARRAY_LENGTH - 1] != ARRAY_LENGTH - 1) {
            throw new IllegalStateException(state.runner + ": the array did not come back whole");
        }
        return back;
    }

    /** A started cluster of {@link #WORKERS} member JVMs, with the client that sends it the calls. */
    private interface Cluster extends AutoCloseable {
        static Cluster start(String row) {
            return switch (row) {
                case WEFT_HAZELCAST -> new WeftCluster();
                case HAZELCAST_EXECUTOR -> new BareCluster(false);
                case HAZELCAST_SLOTS -> new BareCluster(true);
                default ->
                    throw new IllegalArgumentException("'" + row + "' is not a row of Remote; the rows: "
                            + List.of(HAZELCAST_EXECUTOR, HAZELCAST_SLOTS, WEFT_HAZELCAST));
            };
        }

        /** Sends {@link #CALLS} no-op calls, awaits them all, and returns the sum of their results. */
        long calls() throws Exception;

        /** Sends the array to a member and returns what comes back. */
        double[] echo(double[] array) throws Exception;

        /** Stops the cluster: no JVM of it runs once this returns. */
        @Override
        void close();
    }

    /** One Weft flow run on a {@link HazelcastTaskRunner}, held open for the trial. */
    private static final class WeftCluster implements Cluster {
        private final CountDownLatch end = new CountDownLatch(1);
        private final FlowRunFuture<Void> run;
        private final FlowContext context;

        WeftCluster() {
            CompletableFuture<FlowContext> started = new CompletableFuture<>();
            run = Flow.of("remote", () -> {
                        started.complete(FlowContext.current());
                        end.await();
                    })
                    .withTaskRunner(HazelcastTaskRunner.builder()
                            .workers(WORKERS)
                            .threadsPerWorker(THREADS)
                            .build())
                    .start();
            context = awaitBody(started);
        }

        /** Waits until the body runs, which is once the runner has started its cluster. */
        private FlowContext awaitBody(CompletableFuture<FlowContext> started) {
            while (true) {
                try {
                    return started.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (run.isDone()) {
                        run.result(); // throws why it ended
                        throw new IllegalStateException("the flow run ended before its body ran");
                    }
                } catch (InterruptedException | ExecutionException e) {
                    end.countDown();
                    throw new IllegalStateException("the flow run did not start: " + e, e);
                }
            }
        }

        @Override
        public long calls() throws Exception {
            return context.wrap(() -> IndependentTasks.weftBatch(NOOP)).call();
        }

        @Override
        public double[] echo(double[] array) throws Exception {
            return context.wrap(() -> ECHO.submit(array).result()).call();
        }

        @Override
        public void close() {
            end.countDown();
            run.result(); // the runner stops its cluster, and waits for its JVMs, before the run ends
            leftBehind();
        }
    }

    /**
     * Two {@link BareMember} JVMs and a plain Hazelcast client. {@code slots}: at most {@link #THREADS} calls
     * in flight on each member.
     */
    private static final class BareCluster implements Cluster {
        private static final String READY = "bare-member-ready";

        private final List<Process> members = new ArrayList<>();
        private final HazelcastInstance client;
        private final IExecutorService executor;
        private final Member[] targets;
        private final boolean slots;

        BareCluster(boolean slots) {
            this.slots = slots;
            String name = "bare-" + Long.toHexString(System.nanoTime());
            List<String> join = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                join.add(BareMember.HOST + ":" + freePort());
            }
            try {
                // one starts the cluster alone, so that the others find it there at once (as Weft's does)
                members.add(launch(name, join.getFirst(), join));
                for (String address : join.subList(1, join.size())) {
                    members.add(launch(name, address, join));
                }
                BareMember.quietLogs();
                client = HazelcastClient.newHazelcastClient(BareMember.client(name, join));
                executor = client.getExecutorService(BareMember.EXECUTOR);
                targets = client.getCluster().getMembers().toArray(Member[]::new);
                if (targets.length != WORKERS) {
                    throw new IllegalStateException(
                            "the bare cluster has " + targets.length + " members, not " + WORKERS);
                }
            } catch (RuntimeException e) {
                stopMembers();
                throw e;
            }
        }

        /** Starts a member JVM as a Weft worker's is started, and waits until it has joined. */
        private Process launch(String clusterName, String address, List<String> join) {
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    BareMember.class.getName(),
                    clusterName,
                    address,
                    String.join(",", join),
                    Integer.toString(THREADS));
            Process process;
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start a bare member JVM: " + e, e);
            }
            CountDownLatch ready = new CountDownLatch(1);
            Thread output = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                if (line.equals(READY)) {
                                    ready.countDown();
                                } else {
                                    System.out.println(line);
                                }
                            }
                        } catch (IOException e) {
                            // the member is gone; so is its output
                        }
                    },
                    "bare-member-output");
            output.setDaemon(true);
            output.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!ready.await(50, TimeUnit.MILLISECONDS)) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new IllegalStateException("The bare member at " + address + " did not start");
                    }
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while a bare member started", e);
            }
            return process;
        }

        @Override
        public long calls() throws Exception {
            return slots ? callsInSlots() : callsAtOnce();
        }

        private long callsAtOnce() throws Exception {
            List<Future<Integer>> futures = new ArrayList<>(CALLS);
            for (int i = 0; i < CALLS; i++) {
                futures.add(executor.submitToMember(new Noop(i), targets[i % WORKERS]));
            }
            long sum = 0;
            for (Future<Integer> future : futures) {
                sum += future.get();
            }
            return sum;
        }

        /**
         * Sends each call to a member with a free thread, waiting for one when none has, and frees it when
         * the call's future completes.
         */
        private long callsInSlots() throws InterruptedException {
            Semaphore free = new Semaphore(WORKERS * THREADS);
            AtomicInteger[] busy = new AtomicInteger[WORKERS];
            Arrays.setAll(busy, m -> new AtomicInteger());
            LongAdder sum = new LongAdder();
            CountDownLatch done = new CountDownLatch(CALLS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < CALLS; i++) {
                free.acquire();
                // a slot is free somewhere: busy counts drop before the permit is given back
                int m = i % WORKERS;
                while (busy[m].get() >= THREADS) {
                    m = (m + 1) % WORKERS;
                }
                busy[m].incrementAndGet();
                AtomicInteger slot = busy[m];
                Future<Integer> future = executor.submitToMember(new Noop(i), targets[m]);
                ((CompletionStage<Integer>) future).whenComplete((value, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        sum.add(value);
                    }
                    slot.decrementAndGet();
                    free.release();
                    done.countDown();
                });
            }
            done.await();
            if (failure.get() != null) {
                throw new IllegalStateException("a bare call failed: " + failure.get(), failure.get());
            }
            return sum.sum();
        }

        @Override
        public double[] echo(double[] array) throws Exception {
            return executor.submitToMember(new Echo(array), targets[0]).get();
        }

        @Override
        public void close() {
            try {
                client.shutdown();
            } finally {
                stopMembers();
            }
            leftBehind();
        }

        /** Closes each member's standard input, its signal to leave; kills one still there after 10 seconds. */
        private void stopMembers() {
            for (Process p : members) {
                try {
                    p.getOutputStream().close();
                } catch (IOException e) {
                    p.destroy();
                }
            }
            for (Process p : members) {
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static int freePort() {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(BareMember.HOST))) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("No free port for a bare member: " + e, e);
            }
        }
    }

    /** Throws if a JVM that a cluster started still runs after it stopped, killing it first. */
    private static void leftBehind() {
        List<ProcessHandle> alive = ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .toList();
        if (!alive.isEmpty()) {
            alive.forEach(ProcessHandle::destroyForcibly);
            throw new IllegalStateException("JVMs still ran after the cluster stopped: "
                    + alive.stream().map(ProcessHandle::pid).toList());
        }
    }

    /** The bare rows' call: returns its input. */
    static final class Noop implements Callable<Integer>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final int input;

        Noop(int input) {
            this.input = input;
        }

        @Override
        public Integer call() {
            return input;
        }
    }

    /** The bare rows' round trip: returns its array. */
    static final class Echo implements Callable<double[]>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final double[] array;

        Echo(double[] array) {
            this.array = array;
        }

        @Override
        public double[] call() {
            return array;
        }
    }

    /**
     * A plain Hazelcast member for the bare rows, configured as Weft configures its workers (its {@code
     * Members.worker}), less Weft's member attributes and user context: run as {@code java -cp
     * benchmarks.jar dev.weft.jmh.Remote$BareMember CLUSTER HOST:PORT HOST:PORT,... THREADS}. It prints
     * {@code bare-member-ready} once it has joined, and leaves when its standard input closes.
     */
    public static final class BareMember {
        static final String HOST = "127.0.0.1";
        static final String EXECUTOR = "bare";

        /** Held, so that the level set on it stays: the JDK keeps loggers only weakly. */
        private static final java.util.logging.Logger HAZELCAST_LOG =
                java.util.logging.Logger.getLogger("com.hazelcast");

        private BareMember() {}

        /**
         * Starts the member and serves calls until standard input closes.
         *
         * @param args the cluster's name, this member's address, every member's address, the threads
         * @throws IOException if standard input cannot be read
         */
        public static void main(String[] args) throws IOException {
            String clusterName = args[0];
            int port = Integer.parseInt(args[1].substring(args[1].lastIndexOf(':') + 1));
            List<String> join = List.of(args[2].split(","));
            int threads = Integer.parseInt(args[3]);
            quietLogs();
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config(clusterName, port, join, threads));
            System.out.println(BareCluster.READY);
            System.out.flush();
            while (System.in.read() != -1) {
                // nothing is sent on it; its end is the message
            }
            HAZELCAST_LOG.setLevel(java.util.logging.Level.SEVERE); // no "Terminating forcefully" amid JMH's lines
            member.getLifecycleService().terminate();
            System.exit(0);
        }

        private static Config config(String clusterName, int port, List<String> join, int threads) {
            Config config = new Config();
            config.setClusterName(clusterName);
            config.setInstanceName("bare-" + port);
            Map.of(
                            "hazelcast.phone.home.enabled", "false",
                            "hazelcast.logging.type", "jdk",
                            "hazelcast.socket.bind.any", "false",
                            "hazelcast.heartbeat.interval.seconds", "1",
                            "hazelcast.max.no.heartbeat.seconds", "5",
                            "hazelcast.shutdownhook.policy", "TERMINATE",
                            "hazelcast.graceful.shutdown.max.wait", "5",
                            "hazelcast.partition.count", "31",
                            "hazelcast.wait.seconds.before.join", "1")
                    .forEach(config::setProperty);
            NetworkConfig network = config.getNetworkConfig();
            network.setPort(port).setPortAutoIncrement(false);
            network.getInterfaces().setEnabled(true).addInterface(HOST);
            JoinConfig joining = network.getJoin();
            joining.getMulticastConfig().setEnabled(false);
            joining.getAutoDetectionConfig().setEnabled(false);
            joining.getTcpIpConfig().setEnabled(true).setMembers(join);
            config.getExecutorConfig(EXECUTOR).setPoolSize(threads).setStatisticsEnabled(false);
            config.getJetConfig().setEnabled(false);
            config.getSerializationConfig().setJavaSerializationFilterConfig(filter());
            return config;
        }

        /** The bare rows' client, configured as Weft's runner configures its own. */
        static ClientConfig client(String clusterName, List<String> addresses) {
            ClientConfig config = new ClientConfig();
            config.setClusterName(clusterName);
            config.setInstanceName("bare-client-" + Long.toHexString(System.nanoTime()));
            Map.of(
                            "hazelcast.phone.home.enabled", "false",
                            "hazelcast.logging.type", "jdk",
                            "hazelcast.socket.bind.any", "false",
                            "hazelcast.client.heartbeat.interval", "1000",
                            "hazelcast.client.heartbeat.timeout", "6000")
                    .forEach(config::setProperty);
            config.getNetworkConfig().setAddresses(addresses);
            config.getConnectionStrategyConfig()
                    .setAsyncStart(false)
                    .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ON)
                    .getConnectionRetryConfig()
                    .setInitialBackoffMillis(200)
                    .setMaxBackoffMillis(1000)
                    .setClusterConnectTimeoutMillis(60_000);
            config.getSerializationConfig().setJavaSerializationFilterConfig(filter());
            return config;
        }

        /** Hazelcast's default filter, plus the bare rows' calls: as Weft's lets its envelope through. */
        private static JavaSerializationFilterConfig filter() {
            ClassFilter accepted = new ClassFilter();
            accepted.setClasses(List.of(Noop.class.getName(), Echo.class.getName(), "[D"));
            return new JavaSerializationFilterConfig()
                    .setDefaultsDisabled(false)
                    .setWhitelist(accepted);
        }

        /** Hazelcast's warnings and errors only, one line each, as Weft's workers and runner log it. */
        static void quietLogs() {
            if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
                System.setProperty(
                        "java.util.logging.SimpleFormatter.format", "%1$tH:%1$tM:%1$tS.%1$tL | %4$s | %5$s%6$s%n");
            }
            HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
        }
    }
}
