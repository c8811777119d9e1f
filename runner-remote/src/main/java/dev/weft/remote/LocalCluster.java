package dev.weft.remote;

import dev.weft.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker JVMs of a temporary cluster, on this host: started from this JVM's class path, each on a port
 * of its own on one interface, and told to exit when this JVM's end of their standard input closes, which
 * happens when this JVM exits however it exits ({@code kill -9} included). What they print is printed here.
 */
final class LocalCluster implements WorkerPool {
    private static final int TAIL = 20;

    /** The access to JDK internals Hazelcast asks for, so that its workers start without a warning. */
    private static final List<String> HAZELCAST_ACCESS = List.of(
            "--add-modules",
            "java.se",
            "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens",
            "java.base/java.lang=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens",
            "java.management/sun.management=ALL-UNNAMED",
            "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** What a worker JVM prints, followed by its name, once it has joined its cluster. */
    static final String READY = "weft-worker-ready ";

    private final String clusterName;
    private final String host;
    private final ClusterSecret secret;
    private final int threads;
    private final Resources resources;
    private final List<String> jvmOptions;
    /** Whether each worker declares its GPU from a device of the host's that no other running worker has. */
    private final boolean gpuWorkers;

    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    private final Thread hook = new Thread(this::destroyAll, "weft-cluster-stop");
    private int made;

    LocalCluster(
            String clusterName,
            String host,
            ClusterSecret secret,
            int threads,
            Resources resources,
            List<String> jvmOptions,
            boolean gpuWorkers) {
        this.clusterName = clusterName;
        this.host = host;
        this.secret = secret;
        this.threads = threads;
        this.resources = resources;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.gpuWorkers = gpuWorkers;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A worker JVM, with the last lines it printed, for the message if it fails to start. */
    record WorkerProcess(
            String name, String address, Process process, Deque<String> tail, CountDownLatch ready, int device) {}

    /**
     * Starts {@code count} worker JVMs that form a cluster together (and with the running ones), and waits
     * until each has joined it.
     *
     * @return their names
     * @throws IllegalStateException if one exits or has not joined by the deadline, with its last lines
     */
    @Override
    public synchronized List<String> start(int count, long deadlineNanos) {
        List<WorkerProcess> fresh = new ArrayList<>();
        List<String> join = new ArrayList<>(addresses());
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = freePort();
            ports.add(port);
            join.add(host + ":" + port);
        }
        int first = 0;
        if (workers.isEmpty()) { // one starts the cluster alone, so that the others find it there at once
            WorkerProcess founder = launch("worker-" + made++, ports.get(0), join);
            fresh.add(founder);
            awaitReady(founder, deadlineNanos);
            first = 1;
        }
        for (int port : ports.subList(first, ports.size())) {
            fresh.add(launch("worker-" + made++, port, join));
        }
        for (WorkerProcess w : fresh) {
            awaitReady(w, deadlineNanos);
        }
        return fresh.stream().map(WorkerProcess::name).toList();
    }

    /**
     * The first position among the host's devices that no running worker holds: a worker that replaces one
     * that left takes its device; past the number of devices, a worker has none.
     */
    private int freeDevicePosition() {
        java.util.Set<Integer> held = new java.util.HashSet<>();
        for (WorkerProcess w : workers.values()) {
            if (w.process.isAlive()) {
                held.add(w.device);
            }
        }
        int position = 0;
        while (held.contains(position)) {
            position++;
        }
        return position;
    }

    /** Returns the addresses of the running workers, {@code host:port} each. */
    synchronized List<String> addresses() {
        return workers.values().stream().map(WorkerProcess::address).toList();
    }

    /**
     * Returns the command that starts a worker JVM on this JVM's class path, up to the worker's options: the
     * same Java, the options Hazelcast needs, then {@code jvmOptions}.
     */
    static List<String> workerCommand(List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(HAZELCAST_ACCESS);
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // Hazelcast's shaded JCTools reads fields so
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(WeftWorker.class.getName());
        return command;
    }

    private WorkerProcess launch(String name, int port, List<String> join) {
        List<String> command = workerCommand(jvmOptions);
        command.addAll(List.of(
                "--name",
                name,
                "--address",
                host + ":" + port,
                "--join",
                String.join(",", join),
                "--threads",
                Integer.toString(threads),
                "--cluster-name",
                clusterName,
                "--exit-with-parent"));
        int device = gpuWorkers ? freeDevicePosition() : -1;
        if (gpuWorkers) {
            command.add("--resources");
            command.add(resources.isEmpty() ? "GPU=auto" : "GPU=auto," + Members.format(resources));
            command.add("--device-position");
            command.add(Integer.toString(device));
        } else if (!resources.isEmpty()) {
            command.add("--resources");
            command.add(Members.format(resources));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put(ClusterSecret.ENVIRONMENT, secret.asText());
        chainSignals(builder.environment());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start worker JVM '" + name + "': " + e, e);
        }
        WorkerProcess worker =
                new WorkerProcess(name, host + ":" + port, process, new ArrayDeque<>(), new CountDownLatch(1), device);
        forward(process.getInputStream(), System.out, worker);
        forward(process.getErrorStream(), System.err, worker);
        workers.put(name, worker);
        return worker;
    }

    /**
     * Has a worker JVM chain signal handlers (the JDK's {@code libjsig}), where this JDK has it: an OpenCL
     * driver's compiler (PoCL's LLVM) replaces the JVM's SIGSEGV handler with a one-shot one when it builds a
     * kernel, and the JVM could then end at its next safepoint.
     */
    static void chainSignals(Map<String, String> environment) {
        Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
        String preload = environment.getOrDefault("LD_PRELOAD", "");
        if (Files.isReadable(jsig) && !preload.contains("libjsig")) {
            environment.put("LD_PRELOAD", preload.isEmpty() ? jsig.toString() : jsig + ":" + preload);
        }
    }

    /** The class path of this JVM, module path included, for a worker that runs on the class path. */
    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                parts.add(value);
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Copies what a worker prints to this JVM's stream of the same kind, keeping its last lines. */
    private static void forward(InputStream from, PrintStream to, WorkerProcess worker) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            if (line.startsWith(READY)) {
                                worker.ready.countDown();
                                continue;
                            }
                            synchronized (worker.tail) {
                                if (worker.tail.size() == TAIL) {
                                    worker.tail.removeFirst();
                                }
                                worker.tail.addLast(line);
                            }
                            to.println(line);
                        }
                    } catch (IOException e) {
                        // the worker is gone; so is its output
                    }
                },
                "weft-" + worker.name + "-output");
        t.setDaemon(true);
        t.start();
    }

    private void awaitReady(WorkerProcess w, long deadlineNanos) {
        try {
            while (!w.ready.await(50, TimeUnit.MILLISECONDS)) {
                if (!w.process.isAlive()) {
                    throw new IllegalStateException("Worker JVM '" + w.name + "' exited with status "
                            + w.process.exitValue() + " before it joined the cluster" + lastLines(w));
                }
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException(
                            "Worker JVM '" + w.name + "' did not join the cluster in time" + lastLines(w));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while worker JVM '" + w.name + "' started", e);
        }
    }

    private static String lastLines(WorkerProcess w) {
        sleep(100); // what it printed last is on its way
        synchronized (w.tail) {
            return w.tail.isEmpty() ? "" : "; it printed:\n  " + String.join("\n  ", w.tail);
        }
    }

    /**
     * Stops one worker: it is told to exit, and killed if it has not within 10 seconds.
     *
     * @param name the worker
     */
    @Override
    public void stop(String name) {
        WorkerProcess w;
        synchronized (this) {
            w = workers.remove(name);
        }
        if (w != null) {
            stopAll(List.of(w));
        }
    }

    /** Stops every worker JVM, and waits until they are gone. */
    @Override
    public void close() {
        List<WorkerProcess> all;
        synchronized (this) {
            all = new ArrayList<>(workers.values());
            workers.clear();
        }
        stopAll(all);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private static void stopAll(List<WorkerProcess> stopping) {
        for (WorkerProcess w : stopping) {
            try {
                w.process.getOutputStream().close(); // the worker's signal to leave
            } catch (IOException e) {
                w.process.destroy();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (WorkerProcess w : stopping) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !w.process.waitFor(left, TimeUnit.NANOSECONDS)) {
                    w.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                w.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void destroyAll() {
        List<WorkerProcess> all;
        synchronized (this) {
            all = new ArrayList<>(workers.values());
        }
        for (WorkerProcess w : all) {
            w.process.destroyForcibly();
        }
    }

    private int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on " + host + " for a worker: " + e, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
