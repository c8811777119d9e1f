package dev.weft.remote;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.weft.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
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

    private WeftWorker(Builder b, HazelcastInstance member) {
        this.name = b.name;
        this.address = b.host + ":" + b.port;
        this.clusterName = b.clusterName;
        this.threads = b.threads;
        this.resources = b.resources;
        this.member = member;
        member.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.SHUTDOWN) {
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
        member.getLifecycleService().terminate();
        stopped.countDown();
    }

    @Override
    public String toString() {
        return "Weft worker '" + name + "' at " + address + " in cluster '" + clusterName + "', " + threads
                + (threads == 1 ? " thread" : " threads") + (resources.isEmpty() ? "" : ", with " + resources);
    }

    /**
     * Starts a worker from command-line options, and waits until it stops: how a temporary cluster starts
     * its workers, and what {@code weft worker} runs. The secret comes from {@value ClusterSecret#ENVIRONMENT}
     * or {@code --secret-file}.
     *
     * <p>Options: {@code --name NAME --address HOST:PORT --join HOST:PORT,... --threads N --resources
     * GPU=1,process=1 --cluster-name NAME --secret-file FILE --exit-with-parent} (the last: stop when
     * standard input closes, as it does when the process that started this one dies).
     *
     * @param args the options
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        Builder b = builder();
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--exit-with-parent")) {
                exitWithParent = true;
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
                case "--resources" -> b.resources(Members.parse(value).asMap());
                case "--cluster-name" -> b.clusterName(value);
                case "--secret-file" -> b.secret(ClusterSecret.fromFile(Path.of(value)));
                default -> throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        WeftWorker worker = b.start();
        if (exitWithParent) {
            System.out.println(LocalCluster.READY + worker.name());
            System.out.flush();
            Thread watch = new Thread(() -> exitWhenInputCloses(worker), "weft-parent-watch");
            watch.setDaemon(true);
            watch.start();
        }
        worker.awaitStop();
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

    /** The settings of a worker. */
    public static final class Builder {
        private String name;
        private String host = "127.0.0.1";
        private int port = 5701;
        private List<String> join = List.of();
        private int threads = 1;
        private Resources resources = Resources.NONE;
        private String clusterName = "weft";
        private ClusterSecret secret;

        private Builder() {}

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
            if (name == null) {
                name = "worker@" + host + ":" + port;
            }
            Members.quietHazelcastLogs();
            CallOutput.install();
            Config config = Members.worker(clusterName, host, port, join, name, threads, resources);
            config.getUserContext().put(WorkerNode.KEY, new WorkerNode(name, secret, resources, threads));
            HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
            WeftWorker worker = new WeftWorker(this, member);
            LOG.info("Started {}", worker);
            return worker;
        }
    }
}
