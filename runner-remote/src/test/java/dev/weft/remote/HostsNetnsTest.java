package dev.weft.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weft.Flow;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.contract.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster spread over hosts: three Linux network namespaces on a private bridge stand in for three
 * nodes, each running one worker JVM bound to its own address, and the flow's driver reaches them from
 * outside, by address, as it reaches the workers of a real cluster. A flow completes across all three,
 * and a host that vanishes mid-run (its link cut, its worker killed, its namespace deleted) loses no run:
 * the calls it held run again on the others.
 *
 * <p>Namespaces need {@code ip} and root. Where they cannot be made the test is skipped, saying why; in
 * CI ({@code CI=true}) it fails instead, since there it must run.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
final class HostsNetnsTest {
    private static final String SECRET = "the secret of three hosts on one bridge";

    /** The system property each worker JVM is started with: the name of its host. */
    private static final String NODE = "weft.test.node";

    /** Where it runs: the host the test put the worker JVM on. */
    static final Task1<Integer, String> WHERE = Task.of("where", (Integer x) -> {
        Thread.sleep(20);
        return System.getProperty(NODE, "nowhere");
    });

    /** Slower: the calls still run, or wait, when a host goes away. */
    static final Task1<Integer, String> SLOW_WHERE = Task.of("slow_where", (Integer x) -> {
        Thread.sleep(80);
        return System.getProperty(NODE, "nowhere");
    });

    private static String unavailable;

    @TempDir
    Path logs;

    private Hosts hosts;

    @BeforeAll
    static void checkNamespaces() {
        unavailable = Hosts.whyNot();
    }

    @BeforeEach
    void startHosts() throws Exception {
        if (unavailable != null) {
            String reason = "Network namespaces cannot be made here, so no hosts stand in for nodes: " + unavailable;
            if ("true".equals(System.getenv("CI"))) {
                fail(reason);
            }
            Assumptions.abort(reason);
        }
        hosts = Hosts.start(3, logs);
    }

    @AfterEach
    void removeHosts() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @Test
    void shouldCompleteAFlowAcrossThreeHosts() {
        State<List<String>> state;
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            state = Flow.of("across_hosts", () -> {
                        List<TaskFuture<String>> fs = new ArrayList<>();
                        for (int i = 0; i < 300; i++) {
                            fs.add(WHERE.submit(i));
                        }
                        return fs.stream().map(TaskFuture::result).toList();
                    })
                    .withTaskRunner(hosts.runner())
                    .callForState();
            lines = capture.lines();
        }
        assertThat(state.isCompleted())
                .as("%s\n%s\n%s", state, String.join("\n", lines), hosts.diagnostics())
                .isTrue();
        assertThat(state.result()).hasSize(300);
        assertThat(countByNode(state.result())).as("calls per host").containsOnlyKeys("node-1", "node-2", "node-3");
    }

    @Test
    void shouldLoseNoRunWhenAHostDisappearsMidRun() {
        List<TaskFuture<String>> fs = new ArrayList<>();
        long[] removedAt = new long[1];
        State<List<String>> state;
        List<ILoggingEvent> events;
        try (LogCapture capture = LogCapture.start()) {
            state = Flow.of("host_lost", () -> {
                        for (int i = 0; i < 200; i++) {
                            fs.add(SLOW_WHERE.submit(i));
                        }
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (fs.stream().filter(TaskFuture::isDone).count() < 30 && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                        removedAt[0] = System.currentTimeMillis();
                        hosts.remove(2); // mid-run: every host runs calls, and holds more sent ahead to it
                        return fs.stream().map(TaskFuture::result).toList();
                    })
                    .withTaskRunner(hosts.runner())
                    .callForState();
            events = capture.events();
        }
        List<String> lines =
                events.stream().map(ILoggingEvent::getFormattedMessage).toList();
        String context = String.join("\n", lines) + "\n" + hosts.diagnostics();
        assertThat(state.isCompleted()).as("%s\n%s", state, context).isTrue();
        assertThat(fs).hasSize(200).allSatisfy(f -> assertThat(f.state().isCompleted())
                .as("%s: %s", f.name(), f.state())
                .isTrue());
        assertThat(countByNode(state.result()))
                .as("calls per host")
                .containsKeys("node-1", "node-3")
                .containsOnlyKeys("node-1", "node-2", "node-3");
        // the driver saw the host go, and ran the calls it held again on the others
        ILoggingEvent left = events.stream()
                .filter(e -> e.getFormattedMessage().matches("Worker 'node-2' at .* left cluster '.*'.*"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line says node-2 left:\n" + context));
        assertThat(lines.stream().filter(l -> l.contains("was lost: worker 'node-2'")))
                .as(left.getFormattedMessage())
                .isNotEmpty();
        System.out.printf(
                "HostsNetnsTest: the driver saw node-2 leave %d ms after its host was removed: %s%n",
                left.getTimeStamp() - removedAt[0], left.getFormattedMessage());
    }

    private static Map<String, Long> countByNode(List<String> nodes) {
        return nodes.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    /**
     * Hosts made of network namespaces: a bridge in this namespace with a private /24, and per host a
     * namespace joined to it by a veth pair, running one worker JVM bound to the host's address. Closing
     * them stops the JVMs and deletes every link and namespace made.
     */
    static final class Hosts implements AutoCloseable {
        private static final int PORT = 5701;

        private final String tag =
                String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
        private final String bridge = "wb" + tag;
        private final String clusterName = "weft-hosts-" + tag;
        private final Path logs;
        private final List<String> namespaces = new ArrayList<>();
        private final List<String> veths = new ArrayList<>();
        private final List<String> addresses = new ArrayList<>();
        private final List<Process> workers = new ArrayList<>();
        private final Set<Integer> removed = new HashSet<>();
        private final Thread hook = new Thread(this::close, "weft-hosts-cleanup");
        private boolean bridgeMade;
        private String subnet;

        private Hosts(Path logs) {
            this.logs = logs;
        }

        /** Returns why namespaces, bridges and veth pairs cannot be made here, or null if they can. */
        static String whyNot() {
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                return "not Linux but " + System.getProperty("os.name");
            }
            String probe = "weft-probe-" + Long.toHexString(System.nanoTime());
            String br = String.format("wbp%04x", ThreadLocalRandom.current().nextInt(0x10000));
            String veth = br.replace("wbp", "wvp");
            try {
                ip("netns", "add", probe);
                try {
                    ip("netns", "exec", probe, "true");
                    ip("link", "add", br, "type", "bridge");
                    try {
                        ip("link", "add", veth, "type", "veth", "peer", "name", "wq" + br, "netns", probe);
                        ip("link", "set", veth, "master", br);
                    } finally {
                        quietly("link", "delete", veth);
                        quietly("link", "delete", br);
                    }
                } finally {
                    quietly("netns", "delete", probe);
                }
                return null;
            } catch (IllegalStateException e) {
                return e.getMessage() + " (this needs iproute2's ip, and root)";
            }
        }

        /** Makes {@code count} hosts, starts a worker JVM on each, and waits until all have joined. */
        static Hosts start(int count, Path logs) throws Exception {
            Hosts hosts = new Hosts(logs);
            Runtime.getRuntime().addShutdownHook(hosts.hook);
            try {
                long started = System.nanoTime();
                hosts.makeNetwork(count);
                long network = System.nanoTime();
                hosts.launch(1);
                hosts.awaitReady(1); // one starts the cluster, so that the others find it at once
                long first = System.nanoTime();
                for (int i = 2; i <= count; i++) {
                    hosts.launch(i);
                }
                for (int i = 2; i <= count; i++) {
                    hosts.awaitReady(i);
                }
                System.out.printf(
                        "HostsNetnsTest: %d hosts on %s0/24 in %d ms (network %d ms, first worker %d ms, the others %d"
                                + " ms)%n",
                        count,
                        hosts.subnet,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                        TimeUnit.NANOSECONDS.toMillis(network - started),
                        TimeUnit.NANOSECONDS.toMillis(first - network),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - first));
                return hosts;
            } catch (Exception | Error e) {
                hosts.close();
                throw e;
            }
        }

        private void makeNetwork(int count) {
            String used = run(List.of("ip", "-4", "addr")) + run(List.of("ip", "-4", "route"));
            for (int tries = 0; subnet == null && tries < 50; tries++) {
                String candidate = "10.213." + ThreadLocalRandom.current().nextInt(251) + ".";
                if (!used.contains(candidate)) {
                    subnet = candidate;
                }
            }
            assertThat(subnet).as("a free 10.213.x.0/24").isNotNull();
            ip("link", "add", bridge, "type", "bridge");
            bridgeMade = true;
            ip("addr", "add", subnet + "1/24", "dev", bridge);
            ip("link", "set", bridge, "up");
            for (int i = 1; i <= count; i++) {
                String ns = "weft-n" + tag + "-" + i;
                String veth = "wv" + tag + i;
                ip("netns", "add", ns);
                namespaces.add(ns);
                ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                veths.add(veth);
                ip("link", "set", veth, "master", bridge, "up");
                ip("-n", ns, "link", "set", "lo", "up");
                ip("-n", ns, "addr", "add", subnet + (10 + i) + "/24", "dev", "eth0");
                ip("-n", ns, "link", "set", "eth0", "up");
                addresses.add(subnet + (10 + i) + ":" + PORT);
            }
        }

        private void launch(int i) throws IOException {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespaces.get(i - 1)));
            // the temporary cluster's own worker command: the same Java, the access Hazelcast needs, WeftWorker
            command.addAll(LocalCluster.workerCommand(
                    List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-D" + NODE + "=node-" + i)));
            command.addAll(List.of(
                    "--name",
                    "node-" + i,
                    "--address",
                    addresses.get(i - 1),
                    "--join",
                    String.join(",", addresses),
                    "--threads",
                    "2",
                    "--cluster-name",
                    clusterName,
                    "--exit-with-parent"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put(ClusterSecret.ENVIRONMENT, SECRET);
            builder.redirectErrorStream(true);
            builder.redirectOutput(log(i).toFile());
            workers.add(builder.start()); // its standard input stays a pipe: its end stops the worker
        }

        private void awaitReady(int i) throws Exception {
            Process p = workers.get(i - 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!read(log(i)).contains(LocalCluster.READY + "node-" + i)) {
                if (!p.isAlive()) {
                    fail(
                            "The worker on host %d exited with status %d before it joined:\n%s",
                            i, p.exitValue(), read(log(i)));
                }
                if (System.nanoTime() > deadline) {
                    fail("The worker on host %d did not join within 60 s:\n%s", i, diagnostics());
                }
                Thread.sleep(50);
            }
        }

        /** A runner that joins the hosts' cluster by address, from this namespace, across the bridge. */
        HazelcastTaskRunner runner() {
            return HazelcastTaskRunner.builder()
                    .address(addresses.toArray(String[]::new))
                    .clusterName(clusterName)
                    .secret(ClusterSecret.of(SECRET))
                    .startTimeout(Duration.ofSeconds(20))
                    .build();
        }

        /**
         * Takes host {@code i} away as a crashed machine goes: its link is cut first, so that no one hears
         * from it again, then its worker is killed and its namespace deleted.
         */
        synchronized void remove(int i) throws InterruptedException {
            removed.add(i);
            quietly("link", "delete", veths.get(i - 1));
            Process p = workers.get(i - 1);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            quietly("netns", "delete", namespaces.get(i - 1));
        }

        /** The worker JVMs' output, for a failure's message. */
        String diagnostics() {
            StringBuilder s = new StringBuilder();
            for (int i = 1; i <= workers.size(); i++) {
                s.append("--- node-")
                        .append(i)
                        .append(removed.contains(i) ? " (removed)" : "")
                        .append(" at ")
                        .append(addresses.get(i - 1))
                        .append(":\n")
                        .append(read(log(i)));
            }
            return s.toString();
        }

        /** Stops the worker JVMs, waits until they are gone, and deletes the links and namespaces. */
        @Override
        public synchronized void close() {
            for (Process p : workers) {
                p.destroyForcibly();
            }
            for (Process p : workers) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (String veth : veths) {
                if (Files.exists(Path.of("/sys/class/net", veth))) {
                    quietly("link", "delete", veth);
                }
            }
            for (String ns : namespaces) {
                if (Files.exists(Path.of("/run/netns", ns))) {
                    quietly("netns", "delete", ns);
                }
            }
            if (bridgeMade) {
                quietly("link", "delete", bridge);
                bridgeMade = false;
            }
            workers.clear();
            veths.clear();
            namespaces.clear();
            if (Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is exiting: the hook runs anyway
                }
            }
        }

        private Path log(int i) {
            return logs.resolve("node-" + i + ".log");
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        private static void ip(String... args) {
            List<String> command = new ArrayList<>();
            command.add("ip");
            command.addAll(List.of(args));
            run(command);
        }

        private static void quietly(String... args) {
            try {
                ip(args);
            } catch (IllegalStateException e) {
                // gone already
            }
        }

        /** Runs a command to its end and returns its output. */
        private static String run(List<String> command) {
            try {
                Process p =
                        new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("'" + String.join(" ", command) + "' did not end");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("'" + String.join(" ", command) + "' failed with status "
                            + p.exitValue() + ": " + out.strip());
                }
                return out;
            } catch (IOException e) {
                throw new IllegalStateException("cannot run '" + String.join(" ", command) + "': " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running '" + String.join(" ", command) + "'", e);
            }
        }
    }
}
