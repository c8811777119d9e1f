package dev.weft.remote;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.weft.Resources;
import dev.weft.runner.Accelerator;
import dev.weft.runner.Accelerators;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Weft worker: a member of a Hazelcast cluster that runs the calls a {@link HazelcastTaskRunner} sends it,
 * on its own threads and with its own resources. {@code weft worker} starts one; a temporary cluster starts
 * several from the flow's class path.
 *
 * {@snippet :
 * WeftWorker worker = WeftWorker.builder()
 *         .address("127.0.0.1:5701")          // where it listens; loopback unless told otherwise
 *         .threads(2)
 *         .resources(Map.of("GPU", 1, "process", 1))
 *         .clusterName("weft")
 *         .secret(ClusterSecret.fromFile(Path.of("cluster.secret")))
 *         .start();
 * }
 *
 * <p>It accepts only calls signed with the cluster secret, and deserializes nothing from the network but
 * Weft's envelope.
 */
public final class WeftWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.worker");

    private final String name;
    private final String address;
    private final String clusterName;
    private final int threads;
    private final Resources resources;
    private final HazelcastInstance member;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Accelerator> devices;
    private final AtomicBoolean devicesReleased = new AtomicBoolean();
    private volatile Path announced;

    private WeftWorker(Builder b, HazelcastInstance member, List<Accelerator> devices) {
        this.devices = devices;
        this.name = b.name;
        this.address = b.host + ":" + b.port;
        this.clusterName = b.clusterName;
        this.threads = b.threads;
        this.resources = b.resources;
        this.member = member;
        member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
                forget();
                releaseDevices();
                stopped.countDown();
            }
        });
        if (!member.getLifecycleService().isRunning()) {
            stopped.countDown();
        }
    }

    /**
     * Returns a builder of a worker.
     *
     * @return the builder, with one thread, no resources, cluster {@code weft}, on {@code 127.0.0.1:5701}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the worker's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns where the worker listens, as {@code host:port}.
     *
     * @return the address
     */
    public String address() {
        return address;
    }

    /**
     * Waits until the worker has stopped.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops the worker: it leaves the cluster, and the calls running on it are lost to their runners. */
    @Override
    public void close() {
        forget();
        member.getLifecycleService().terminate();
        releaseDevices();
        stopped.countDown();
    }

    /**
     * Returns the devices the worker declared as its GPUs ({@code GPU=auto}).
     *
     * @return their descriptions, such as {@code gpu-0 = #0 NVIDIA H100 (GPU, 79 GiB)}; empty if none
     */
    public List<String> devices() {
        return devices.stream().map(d -> d.name() + " = " + d.describe()).toList();
    }

    private void forget() {
        Path file = announced;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the driver finds a stale address, and skips it
            }
        }
    }

    private void releaseDevices() {
        if (!devices.isEmpty() && devicesReleased.compareAndSet(false, true)) {
            Accelerators.closeAll(devices);
        }
    }

    @Override
    public String toString() {
        return "Weft worker '" + name + "' at " + address + " in cluster '" + clusterName + "', " + threads
                + (threads == 1 ? " thread" : " threads") + (resources.isEmpty() ? "" : ", with " + resources)
                + (devices.isEmpty() ? "" : " (GPU=auto: " + String.join(", ", devices()) + ")");
    }

    /**
     * Starts a worker from command-line options, and waits until it stops: how a temporary cluster starts
     * its workers, and what {@code weft worker} runs. The secret comes from {@value ClusterSecret#ENVIRONMENT}
     * or {@code --secret-file}.
     *
     * <p>Options: {@code --name NAME --address HOST:PORT --join HOST:PORT,... --threads N --resources
     * GPU=1,process=1 --cluster-name NAME --secret-file FILE --slurm --exit-with-parent} (the last: stop when
     * standard input closes, as it does when the process that started this one dies). A worker of a SLURM job
     * submitted from a login node ({@link SlurmJobs}) also takes {@code --rendezvous DIR} (find the cluster's
     * members, and say where this one listens, in that shared directory), {@code --lifetime SECONDS} (stop
     * after that long, before the job's walltime) and {@code --driver-file FILE} (stop when the driver has
     * not touched that file for {@value #DRIVER_SILENCE_SECONDS} seconds: it died). A worker of a temporary
     * cluster whose GPUs come from the devices its workers see takes {@code --resources GPU=auto} with {@code
     * --device-position N}: of the devices {@code GPU=auto} would take, only the one at that position.
     *
     * @param args the options
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        Builder b = builder();
        boolean exitWithParent = false;
        Path rendezvous = null;
        long lifetimeSeconds = 0;
        Path driverFile = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--exit-with-parent")) {
                exitWithParent = true;
                continue;
            }
            if (option.equals("--slurm")) {
                b.slurm(SlurmAllocation.current(), SlurmAllocation.DEFAULT_BASE_PORT, null);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Option " + option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--name" -> b.name(value);
                case "--address" -> b.address(value);
                case "--join" -> b.join(Arrays.asList(value.split(",")));
                case "--threads" -> b.threads(Integer.parseInt(value));
                case "--resources" -> b.resources(value);
                case "--cluster-name" -> b.clusterName(value);
                case "--secret-file" -> b.secret(ClusterSecret.fromFile(Path.of(value)));
                case "--rendezvous" -> rendezvous = Path.of(value);
                case "--lifetime" -> lifetimeSeconds = Long.parseLong(value);
                case "--driver-file" -> driverFile = Path.of(value);
                case "--device-position" -> b.devicePosition(Integer.parseInt(value));
                default -> throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        if (rendezvous != null) {
            b.rendezvous(rendezvous);
        }
        WeftWorker worker = b.start();
        if (rendezvous != null) {
            worker.announce(rendezvous);
        }
        if (lifetimeSeconds > 0 || driverFile != null) {
            watch(worker, lifetimeSeconds, driverFile);
        }
        if (exitWithParent) {
            System.out.println(LocalCluster.READY + worker.name());
            System.out.flush();
            Thread watch = new Thread(() -> exitWhenInputCloses(worker), "weft-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        worker.awaitStop();
    }

    /** How long a driver may leave its file untouched before its workers take it for dead. */
    static final int DRIVER_SILENCE_SECONDS = 30;

    /** Stops the worker when its lifetime is over, or when its driver has gone silent. */
    private static void watch(WeftWorker worker, long lifetimeSeconds, Path driverFile) {
        long end = lifetimeSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(lifetimeSeconds) : Long.MAX_VALUE;
        Thread watch = new Thread(
                () -> {
                    while (true) {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        String why = null;
                        if (lifetimeSeconds > 0 && System.nanoTime() - end >= 0) {
                            why = "its lifetime of " + lifetimeSeconds + " s is over";
                        } else if (driverFile != null && driverSilent(driverFile)) {
                            why = "its driver has not touched " + driverFile + " for " + DRIVER_SILENCE_SECONDS + " s";
                        }
                        if (why != null) {
                            LOG.info("Stopping {}: {}", worker, why);
                            worker.close();
                            System.exit(0);
                        }
                    }
                },
                "weft-worker-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static boolean driverSilent(Path file) {
        try {
            long age =
                    System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
            return age > TimeUnit.SECONDS.toMillis(DRIVER_SILENCE_SECONDS);
        } catch (IOException e) {
            return true; // gone: the driver ended, and took it away
        }
    }

    /**
     * Writes where this worker listens into the rendezvous directory, for the workers that start after it and
     * for the driver; the file goes when the worker stops.
     */
    void announce(Path directory) {
        Path file = directory.resolve(Rendezvous.fileName(name));
        Rendezvous.write(file, address);
        announced = file;
    }

    /** Reads standard input to its end, which comes when the parent dies or closes it; then stops. */
    private static void exitWhenInputCloses(WeftWorker worker) {
        try {
            InputStream in = System.in;
            while (in.read() != -1) {
                // nothing is sent on it; its end is the message
            }
        } catch (IOException e) {
            // a broken pipe says the same
        }
        worker.close();
        System.exit(0);
    }

    /** Returns the first port of the list free on the interface: one another job holds is passed over. */
    private static int firstFree(String host, List<Integer> ports) {
        for (int candidate : ports) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(false);
                probe.bind(new InetSocketAddress(host, candidate));
                return candidate;
            } catch (IOException e) {
                LOG.info("Port {} of {} is taken; trying the next of {}", candidate, host, ports);
            }
        }
        throw new IllegalStateException("Every port of this worker's window on " + host + " is taken: " + ports
                + "; give another base port (--base-port)");
    }

    /** The settings of a worker. */
    public static final class Builder {
        private String name;
        private String host = "127.0.0.1";
        private int port = 5701;
        private List<String> join = List.of();
        private int threads = 1;
        private Resources resources = Resources.NONE;
        private boolean autoGpus;
        private int devicePosition = -1;
        private String clusterName = "weft";
        private ClusterSecret secret;
        private List<Integer> ports = List.of();
        private double allocatedGpus;

        private Builder() {}

        /**
         * Makes this a worker of the SLURM job it runs in, as {@code srun weft worker --slurm} does for each
         * task: it joins the job's other workers on the job's nodes, in the cluster {@code slurm-<job id>}, and
         * takes its threads and GPUs from the allocation, not from the host ({@link SlurmAllocation}). It
         * listens on the first free port of its window from {@code basePort}, on the named interface or else
         * on the address its node's name resolves to, and is named {@code task-<rank>@<node>}. Options
         * given after this replace what it set.
         *
         * @param job the allocation, {@link SlurmAllocation#current()}
         * @param basePort the first port of each node's window, {@value SlurmAllocation#DEFAULT_BASE_PORT}
         *     by default
         * @param networkInterface the interface to listen on, such as {@code ib0}, or null
         * @return this builder
         * @throws IllegalArgumentException if the interface is unknown or the node name does not resolve
         */
        public Builder slurm(SlurmAllocation job, int basePort, String networkInterface) {
            this.host = job.bindAddress(networkInterface);
            this.clusterName = job.clusterName();
            this.name = "task-" + job.procId() + "@" + job.node();
            this.threads = job.cpusPerTask();
            this.allocatedGpus = job.gpusPerTask();
            this.ports = job.ports(basePort);
            this.port = ports.getFirst();
            this.join = job.members(basePort, host);
            return this;
        }

        /**
         * Names the worker, as the runner's logs call it; by default {@code worker@HOST:PORT}.
         *
         * @param name the name
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Where the worker listens: an interface's IP address and a port, such as {@code 127.0.0.1:5701}.
         * It binds that interface only.
         *
         * @param address {@code host:port}
         * @return this builder
         * @throws IllegalArgumentException if it is not {@code host:port}
         */
        public Builder address(String address) {
            InetSocketAddress a = HazelcastTaskRunner.parseAddress(address);
            this.host = a.getHostString();
            this.port = a.getPort();
            this.ports = List.of();
            return this;
        }

        /**
         * Finds the cluster's members in a directory shared with them (as a SLURM cluster's home directory
         * is), where each worker says where it listens once started ({@link WeftWorker#announce}): the
         * worker joins them, or starts the cluster if none is there. It listens on the address its host's
         * name resolves to, on the first free port from {@value SlurmAllocation#DEFAULT_BASE_PORT}.
         *
         * @param directory the directory
         * @return this builder
         */
        public Builder rendezvous(Path directory) {
            this.join = Rendezvous.read(directory);
            this.host = Rendezvous.ownAddress();
            this.ports = new ArrayList<>();
            for (int p = SlurmAllocation.DEFAULT_BASE_PORT; p < SlurmAllocation.DEFAULT_BASE_PORT + 100; p++) {
                ports.add(p);
            }
            return this;
        }

        /**
         * The members to join, {@code host:port} each; by default none, and the worker starts a cluster.
         *
         * @param members the addresses
         * @return this builder
         */
        public Builder join(List<String> members) {
            List<String> checked = new ArrayList<>();
            for (String m : members) {
                if (!m.isBlank()) {
                    InetSocketAddress a = HazelcastTaskRunner.parseAddress(m.strip());
                    checked.add(a.getHostString() + ":" + a.getPort());
                }
            }
            this.join = List.copyOf(checked);
            return this;
        }

        /**
         * How many calls the worker runs at once.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("A worker needs at least one thread, not " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * The worker's resources, such as {@code GPU=1, process=1}.
         *
         * @param amounts the amounts by name
         * @return this builder
         */
        public Builder resources(Map<String, ? extends Number> amounts) {
            this.resources = Resources.of(amounts);
            return this;
        }

        /**
         * The worker's resources as {@code weft worker --resources} writes them, such as {@code
         * GPU=auto,process=1}: {@code GPU=auto} {@link #autoGpus() declares its GPUs} from the devices it
         * sees.
         *
         * @param text {@code NAME=AMOUNT} pairs separated by commas
         * @return this builder
         * @throws IllegalArgumentException if they cannot be read
         */
        public Builder resources(String text) {
            List<String> rest = new ArrayList<>();
            for (String pair : text.split(",")) {
                if (pair.replace(" ", "").equalsIgnoreCase("GPU=" + Accelerators.AUTO)) {
                    autoGpus();
                } else {
                    rest.add(pair);
                }
            }
            this.resources = Members.parse(String.join(",", rest));
            return this;
        }

        /**
         * Declares the worker's GPUs from the OpenCL devices it sees ({@code GPU=auto}): {@code GPU} is their
         * number, and a call that needs {@code GPU=1} gets a device of its own, reached inside the task as
         * {@code dev.weft.gpu.Gpu.current()}; calls share a device only where they ask for less ({@code
         * GPU=0.5}). The devices are those a default {@code GpuTaskRunner} takes: the host's GPUs, or with
         * none its CPU devices, or those {@code WEFT_GPU_DEVICES} names, so that workers on one host can
         * split them. Needs {@code dev.weft:weft-runner-gpu} on the worker's class path.
         *
         * @return this builder
         */
        public Builder autoGpus() {
            this.autoGpus = true;
            return this;
        }

        /**
         * Declares the worker's GPU from one device: of those {@link #autoGpus()} would take, the one at {@code
         * position}, or none where there are fewer ({@code GPU=0}); what each worker of a temporary cluster
         * with {@code gpuWorkers()} is given, so that the workers on one host never share a device.
         *
         * @param position 0 for the first device
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder devicePosition(int position) {
            if (position < 0) {
                throw new IllegalArgumentException("A device position is 0 or more, not " + position);
            }
            this.autoGpus = true;
            this.devicePosition = position;
            return this;
        }

        /**
         * The cluster's name: members of other names never join it.
         *
         * @param clusterName the name
         * @return this builder
         */
        public Builder clusterName(String clusterName) {
            this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
            return this;
        }

        /**
         * The cluster secret; by default read from {@value ClusterSecret#ENVIRONMENT}.
         *
         * @param secret the secret
         * @return this builder
         */
        public Builder secret(ClusterSecret secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * Starts the worker: it joins its cluster and serves calls.
         *
         * @return the worker, started
         * @throws IllegalStateException if no secret was given nor found in the environment
         */
        public WeftWorker start() {
            if (secret == null) {
                secret = ClusterSecret.fromEnvironment();
            }
            if (secret == null) {
                throw new IllegalStateException("A Weft worker needs the cluster secret: set "
                        + ClusterSecret.ENVIRONMENT + " or give --secret-file");
            }
            if (!ports.isEmpty()) {
                port = firstFree(host, ports);
            }
            if (name == null) {
                name = "worker@" + host + ":" + port;
            }
            Members.quietHazelcastLogs();
            CallOutput.install();
            if (allocatedGpus > 0 && !autoGpus && resources.amount("GPU") == 0) { // the allocation's, besides
                Map<String, Double> amounts = new LinkedHashMap<>(resources.asMap());
                amounts.put("GPU", allocatedGpus);
                resources = Resources.of(amounts);
            }
            String who = "Weft worker '" + name + "'";
            List<Accelerator> devices = !autoGpus
                    ? List.of()
                    : devicePosition >= 0
                            ? Accelerators.open("GPU", who, devicePosition)
                            : Accelerators.open("GPU", who);
            try {
                if (autoGpus) {
                    Map<String, Double> amounts = new LinkedHashMap<>(resources.asMap());
                    amounts.put("GPU", (double) devices.size());
                    resources = Resources.of(amounts);
                }
                Config config = Members.worker(clusterName, host, port, join, name, threads, resources);
                config.getUserContext().put(WorkerNode.KEY, new WorkerNode(name, secret, resources, threads, devices));
                HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
                WeftWorker worker = new WeftWorker(this, member, devices);
                LOG.info("Started {}", worker);
                return worker;
            } catch (RuntimeException | Error e) {
                Accelerators.closeAll(devices);
                throw e;
            }
        }
    }
}
