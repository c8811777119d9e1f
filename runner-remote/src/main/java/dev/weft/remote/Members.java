package dev.weft.remote;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.weft.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

/**
 * How Weft configures Hazelcast, in one place: members on the given interface only (loopback by default),
 * joined over TCP to listed addresses (no multicast, no discovery, no phone-home), failures noticed within
 * seconds, and Java deserialization limited to Weft's messages.
 */
final class Members {
    /**
     * The executor that takes a runner's messages on a worker (batches of calls, cancels, handshakes): they
     * only put calls in line, so a few threads serve every runner. The calls run on the worker's own threads.
     */
    static final String EXECUTOR = "weft-intake";

    /** The executor that answers the runners' requests for results; each waits up to a second for some. */
    static final String REPLIES = "weft-replies";

    static final String ATTR_NAME = "weft.name";
    static final String ATTR_THREADS = "weft.threads";
    static final String ATTR_RESOURCES = "weft.resources";

    /**
     * What a worker deserializes with Java serialization: Weft's four messages, besides what
     * Hazelcast's own filter lets through by default (its own classes and the JDK's, less its list of known
     * gadgets), which members need for the exceptions they send each other. No class of the application's
     * is ever read before a signature checks.
     */
    private static final List<String> ACCEPTED = List.of(
            SignedRequest.class.getName(),
            Batch.class.getName(),
            Collect.class.getName(),
            Cancel.class.getName(),
            Handshake.class.getName(),
            "[B");

    private Members() {}

    /** The settings every Weft member and client share. */
    private static void common(Map<String, String> properties) {
        properties.put("hazelcast.phone.home.enabled", "false");
        properties.put("hazelcast.logging.type", "jdk");
        properties.put("hazelcast.socket.bind.any", "false");
    }

    /**
     * A worker member's configuration.
     *
     * @param clusterName the cluster's name; members of other names never join
     * @param host the interface to bind, an IP address such as {@code 127.0.0.1}
     * @param port the port to listen on
     * @param join the members to join, {@code host:port} each; may hold this member's own address
     * @param name the worker's name
     * @param threads how many calls it runs at once
     * @param resources what it has
     */
    static Config worker(
            String clusterName,
            String host,
            int port,
            List<String> join,
            String name,
            int threads,
            Resources resources) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName("weft-" + name + "-" + port);
        Map<String, String> properties = new LinkedHashMap<>();
        common(properties);
        properties.put("hazelcast.heartbeat.interval.seconds", "1");
        properties.put("hazelcast.max.no.heartbeat.seconds", "5");
        properties.put("hazelcast.shutdownhook.policy", "TERMINATE");
        properties.put("hazelcast.graceful.shutdown.max.wait", "5");
        properties.put("hazelcast.partition.count", "31");
        properties.put("hazelcast.wait.seconds.before.join", "1");
        properties.forEach(config::setProperty);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(host);
        JoinConfig joining = network.getJoin();
        joining.getMulticastConfig().setEnabled(false);
        joining.getAutoDetectionConfig().setEnabled(false);
        joining.getTcpIpConfig().setEnabled(true).setMembers(join.isEmpty() ? List.of(host + ":" + port) : join);
        config.getMemberAttributeConfig()
                .setAttribute(ATTR_NAME, name)
                .setAttribute(ATTR_THREADS, Integer.toString(threads))
                .setAttribute(ATTR_RESOURCES, format(resources));
        config.getExecutorConfig(EXECUTOR).setPoolSize(2).setStatisticsEnabled(false);
        config.getExecutorConfig(REPLIES).setPoolSize(64).setStatisticsEnabled(false);
        config.getJetConfig().setEnabled(false);
        ClassFilter accepted = new ClassFilter();
        accepted.setClasses(ACCEPTED);
        config.getSerializationConfig()
                .setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
                        .setDefaultsDisabled(false)
                        .setWhitelist(accepted));
        return config;
    }

    /**
     * The runner's client configuration: it connects to the listed members, and gives up on a cluster it
     * cannot reach within {@code connectTimeoutMillis}.
     */
    static ClientConfig client(String clusterName, List<String> addresses, long connectTimeoutMillis) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setInstanceName("weft-runner-" + Long.toHexString(System.nanoTime()));
        Map<String, String> properties = new LinkedHashMap<>();
        common(properties);
        properties.put("hazelcast.client.heartbeat.interval", "1000");
        properties.put("hazelcast.client.heartbeat.timeout", "6000");
        properties.forEach(config::setProperty);
        config.getNetworkConfig().setAddresses(addresses);
        config.getConnectionStrategyConfig()
                .setAsyncStart(false)
                .setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ON)
                .getConnectionRetryConfig()
                .setInitialBackoffMillis(200)
                .setMaxBackoffMillis(1000)
                .setClusterConnectTimeoutMillis(connectTimeoutMillis);
        // results come back as bytes, so the client reads no object of Weft's: Hazelcast's own lists only
        config.getSerializationConfig()
                .setJavaSerializationFilterConfig(new JavaSerializationFilterConfig().setDefaultsDisabled(false));
        return config;
    }

    /** The loggers whose levels are set here: held, since java.util.logging keeps loggers only weakly. */
    private static final List<java.util.logging.Logger> QUIETED = new CopyOnWriteArrayList<>();

    /**
     * Hazelcast's own lines: warnings and errors only, in the seed's format; a member that stops because
     * Weft stops it says nothing about it.
     */
    static void quietHazelcastLogs() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty(
                    "java.util.logging.SimpleFormatter.format", "%1$tH:%1$tM:%1$tS.%1$tL | %4$s | %5$s%6$s%n");
        }
        if (QUIETED.isEmpty()) {
            quiet("com.hazelcast", Level.WARNING);
            quiet("com.hazelcast.instance.impl.Node", Level.SEVERE); // "Terminating forcefully..."
            // each failed try to reconnect; the runner says once that it lost its cluster, and for how long it tries
            quiet("com.hazelcast.client.impl.connection", Level.SEVERE);
            // a request for results still waiting when its runner or worker stops: expected, and not news
            quiet("com.hazelcast.spi.impl", Level.SEVERE);
            quiet("com.hazelcast.client.impl.spi.impl", Level.SEVERE);
        }
    }

    private static void quiet(String name, Level level) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(level);
        QUIETED.add(logger);
    }

    /** Prints resources as {@code GPU=1,process=1}, which {@link #parse} reads back. */
    static String format(Resources resources) {
        String s = resources.toString();
        return s.substring(1, s.length() - 1).replace(", ", ",");
    }

    /**
     * Reads resources written as {@code GPU=1,process=1} (or {@code {GPU=1, process=1}}).
     *
     * @throws IllegalArgumentException naming the part it cannot read
     */
    static Resources parse(String text) {
        String body = text == null ? "" : text.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        Map<String, Double> amounts = new LinkedHashMap<>();
        for (String part : body.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            try {
                amounts.put(
                        p.substring(0, eq).strip(),
                        Double.parseDouble(p.substring(eq + 1).strip()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "Cannot read resources '" + text + "': write them as NAME=AMOUNT,..., such as GPU=1,process=1");
            }
        }
        return amounts.isEmpty() ? Resources.NONE : Resources.of(amounts);
    }
}
