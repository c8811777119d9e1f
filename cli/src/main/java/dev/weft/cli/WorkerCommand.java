package dev.weft.cli;

import dev.weft.remote.ClusterSecret;
import dev.weft.remote.SlurmAllocation;
import dev.weft.remote.WeftWorker;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft worker}: starts a {@link WeftWorker}, a member of a Hazelcast cluster that runs the calls a
 * {@code HazelcastTaskRunner} sends it, and keeps it running until it stops or the process is told to stop.
 *
 * <p>Every option is checked before the worker starts: an invalid one, or no cluster secret, exits 2 and
 * binds nothing. A worker that cannot start, such as on a port in use, exits 1. Once started, the command
 * prints the worker's one-line description on standard output and waits. A shutdown hook closes the worker
 * when the JVM is told to stop (SIGINT, SIGTERM), and the process then exits 0, as it does when the worker
 * stops by itself.
 */
@Command(
        name = "worker",
        description = {
            "Starts a Weft worker: a cluster member that runs the calls of HazelcastTaskRunners.",
            "It runs until Ctrl-C or SIGTERM stops it.",
            "Every worker and runner of a cluster needs the same cluster secret, from --secret-file or"
                    + " WEFT_CLUSTER_SECRET. The worker binds only the interface of --address."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The worker stopped: on SIGINT or SIGTERM, or when its cluster shut it down.",
            "1:The worker could not start, such as on a port in use.",
            "2:Usage error, such as an invalid address or resources, or no cluster secret."
        })
final class WorkerCommand implements Callable<Integer> {
    private static final String NAME = "weft worker";
    /**
     * Hazelcast's loggers of a member's start, its address picker's among them: a start that fails logs its
     * error and stack trace there. Held here, since java.util.logging keeps loggers only weakly.
     */
    private static final Logger HAZELCAST_START_UP = Logger.getLogger("com.hazelcast.instance");

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern AMOUNT = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--address",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:5701",
            description = {
                "Where the worker listens: the IP address of one of this machine's interfaces, and a port.",
                "Default: ${DEFAULT-VALUE}"
            })
    private String address;

    @Option(
            names = "--join",
            paramLabel = "HOST:PORT,...",
            hideParamSyntax = true,
            split = ",",
            description = "Members of the cluster to join; without them, the worker starts a cluster of its own.")
    private List<String> join = List.of();

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "1",
            description = {"How many calls the worker runs at once.", "Default: ${DEFAULT-VALUE}"})
    private int threads;

    @Option(
            names = "--resources",
            paramLabel = "NAME=AMOUNT,...",
            description = {
                "What the worker has, for calls that ask for resources, such as GPU=1,process=1.",
                "GPU=auto: one GPU per OpenCL device the worker sees, each call with GPU=1 on a device of its own"
                        + " (WEFT_GPU_DEVICES=0,2 narrows them)."
            })
    private String resources;

    @Option(
            names = "--cluster-name",
            paramLabel = "NAME",
            defaultValue = "weft",
            description = {"The cluster's name: members of other names never join it.", "Default: ${DEFAULT-VALUE}"})
    private String clusterName;

    @Option(
            names = "--secret-file",
            paramLabel = "FILE",
            description = "The file that holds the cluster secret; instead of WEFT_CLUSTER_SECRET.")
    private Path secretFile;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The worker's name in the runners' logs; by default worker@HOST:PORT.")
    private String name;

    @Option(
            names = "--slurm",
            description = {
                "Be a worker of the SLURM job this runs in, as `srun weft worker --slurm` starts one per task: join"
                        + " the job's other workers on its nodes, in cluster slurm-<job id>, with threads and GPUs"
                        + " from the allocation. Not with --address, --join or --cluster-name."
            })
    private boolean slurm;

    @Option(
            names = "--hostfile",
            paramLabel = "FILE",
            description = "Like --slurm, for another scheduler: the job's hosts are those of FILE (PBS's"
                    + " $PBS_NODEFILE, a file of host names), one worker per host, the cluster named after --job-id.")
    private Path hostFile;

    @Option(
            names = "--job-id",
            paramLabel = "ID",
            description = "With --hostfile: the job's id, which names the cluster; by default $PBS_JOBID, $LSB_JOBID"
                    + " or $JOB_ID.")
    private String jobId;

    @Option(
            names = "--interface",
            paramLabel = "NAME",
            description = "With --slurm or --hostfile: the interface to listen on, such as ib0; by default the address"
                    + " the node's name resolves to.")
    private String networkInterface;

    @Option(
            names = "--base-port",
            paramLabel = "PORT",
            defaultValue = "5701",
            description = {
                "With --slurm or --hostfile: the first port of each node's window; a node's tasks take the ports from it.",
                "Default: ${DEFAULT-VALUE}"
            })
    private int basePort;

    /** Where the command reads environment variables: the process's, or a test's. */
    UnaryOperator<String> environment = System::getenv;

    /** The worker while it runs; null before it starts and after the command returns. */
    private final AtomicReference<WeftWorker> running = new AtomicReference<>();

    @Override
    public Integer call() {
        WeftWorker.Builder builder = WeftWorker.builder();
        boolean allocated = slurm || hostFile != null;
        if (slurm && hostFile != null) {
            return usageError("--slurm and --hostfile are two ways to find the job's hosts: give one");
        }
        if (allocated) {
            Integer refused = slurm(builder);
            if (refused != null) {
                return refused;
            }
        } else if (networkInterface != null || given("--base-port")) {
            return usageError(
                    "--interface and --base-port go with --slurm or --hostfile; without them, give --address");
        } else {
            try {
                builder.address(address);
                checkInterface(address);
            } catch (IllegalArgumentException e) {
                return usageError("--address: %s", e.getMessage());
            }
            try {
                builder.join(join);
            } catch (IllegalArgumentException e) {
                return usageError("--join: %s", e.getMessage());
            }
        }
        if (!slurm || given("--threads")) {
            try {
                builder.threads(threads);
            } catch (IllegalArgumentException e) {
                return usageError("--threads: %s", e.getMessage());
            }
        }
        if (resources != null) {
            try {
                String rest = withoutAutoGpus(resources);
                if (!rest.equals(resources)) {
                    builder.autoGpus();
                }
                if (!rest.isEmpty()) {
                    builder.resources(parseResources(rest));
                }
            } catch (IllegalArgumentException e) {
                return usageError("--resources: %s", e.getMessage());
            }
        }
        if (clusterName.isBlank()) {
            return usageError("--cluster-name must not be empty");
        }
        if (!allocated) {
            builder.clusterName(clusterName.strip());
        }
        if (name != null) {
            if (name.isBlank()) {
                return usageError("--name must not be empty");
            }
            builder.name(name.strip());
        }
        ClusterSecret secret;
        try {
            secret = secret();
        } catch (IllegalArgumentException e) {
            return usageError("%s", e.getMessage());
        }
        if (secret == null) {
            return usageError(
                    "no cluster secret: set %s or give --secret-file FILE, with the same secret of 16 characters or"
                            + " more on every worker and runner of the cluster",
                    ClusterSecret.ENVIRONMENT);
        }
        WeftWorker worker;
        try {
            worker = start(builder.secret(secret));
        } catch (RuntimeException e) {
            spec.commandLine()
                    .getErr()
                    .printf(
                            "%s: could not start the worker %s: %s%n",
                            NAME, allocated ? "of this job" : "at " + address.strip(), Weft.summary(e));
            return ExitCode.SOFTWARE;
        }
        return serve(worker);
    }

    /**
     * Sets the worker up from the SLURM job it runs in, or the job of its host list; returns the exit code if
     * that cannot be done.
     */
    private Integer slurm(WeftWorker.Builder builder) {
        String option = slurm ? "--slurm" : "--hostfile";
        for (String other : List.of("--address", "--join", "--cluster-name")) {
            if (given(other)) {
                return usageError(
                        "%s chooses the address, the members to join and the cluster's name; not with %s (use"
                                + " --interface and --base-port)",
                        option, other);
            }
        }
        if (basePort < 1 || basePort > 65535 - 64) {
            return usageError("--base-port: %d is not a port that leaves room for a window of ports", basePort);
        }
        SlurmAllocation job;
        try {
            job = slurm ? SlurmAllocation.of(environment::apply) : SlurmAllocation.hostFile(hostFile, jobId());
        } catch (IllegalStateException e) {
            return usageError("%s: %s", option, e.getMessage());
        }
        try {
            builder.slurm(job, basePort, networkInterface);
        } catch (IllegalArgumentException e) {
            return usageError("--interface: %s", e.getMessage());
        }
        return null;
    }

    /** The job's id for a host list: {@code --job-id}, else the scheduler's variable. */
    private String jobId() {
        if (jobId != null) {
            return jobId;
        }
        for (String variable : List.of("PBS_JOBID", "LSB_JOBID", "JOB_ID")) {
            String value = environment.apply(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        throw new IllegalStateException("give --job-id: no $PBS_JOBID, $LSB_JOBID or $JOB_ID names the job");
    }

    /** Whether the command line gave the option. */
    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Starts the worker with Hazelcast's start-up lines off: a start that fails logs its error and stack trace
     * there, and this command says it in one line instead.
     */
    private static WeftWorker start(WeftWorker.Builder builder) {
        HAZELCAST_START_UP.setLevel(Level.OFF);
        try {
            return builder.start();
        } finally {
            HAZELCAST_START_UP.setLevel(null);
        }
    }

    /**
     * Checks that {@code address}'s host is the IPv4 address of one of this machine's network interfaces, the
     * one that the worker binds; Hazelcast would fail on any other with a message of its own.
     *
     * @param address {@code HOST:PORT}, in a form that {@link WeftWorker.Builder#address} takes
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static void checkInterface(String address) {
        String a = address.strip();
        if (a.startsWith("tcp://")) {
            a = a.substring("tcp://".length());
        }
        String host = a.substring(0, a.lastIndexOf(':'));
        if (!IPV4.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + address + "' needs the IPv4 address of the interface to listen"
                    + " on, such as 127.0.0.1:5701, not '" + host + "'");
        }
        try {
            if (NetworkInterface.getByInetAddress(InetAddress.getByName(host)) == null) {
                throw new IllegalArgumentException("no network interface of this machine has the address " + host);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list this machine's network interfaces: " + e, e);
        }
    }

    /** Prints the worker's line, then waits until it stops, and closes it if this thread is interrupted. */
    private int serve(WeftWorker worker) {
        running.set(worker);
        Thread hook = new Thread(() -> closeAndExit(worker), "weft-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            PrintWriter out = spec.commandLine().getOut();
            out.println(worker);
            out.flush();
            worker.awaitStop();
        } catch (InterruptedException e) {
            worker.close();
            Thread.currentThread().interrupt();
        } finally {
            running.set(null);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is stopping: the hook runs, or ran, and ends the process
            }
        }
        return ExitCode.OK;
    }

    /**
     * The shutdown hook's work: closes the worker, then ends the JVM with exit code 0. Without the halt, a
     * JVM stopped by SIGINT or SIGTERM exits 130 or 143, which service managers take for a failure; the
     * worker stopping is what the command is there to wait for.
     */
    private static void closeAndExit(WeftWorker worker) {
        try {
            worker.close();
        } catch (RuntimeException e) {
            // stopped already, such as by Hazelcast's own shutdown hook
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(ExitCode.OK);
    }

    /**
     * Stops the worker this command runs, as SIGTERM does but without ending the JVM: the command then
     * returns 0. Does nothing when no worker runs.
     */
    void stop() {
        WeftWorker worker = running.get();
        if (worker != null) {
            worker.close();
        }
    }

    /**
     * Reads the cluster secret from {@code --secret-file}, else from {@value ClusterSecret#ENVIRONMENT}.
     *
     * @return the secret, or null if neither gives one
     * @throws IllegalArgumentException naming the file or the variable, if what it holds is no secret
     */
    private ClusterSecret secret() {
        if (secretFile != null) {
            try {
                return ClusterSecret.fromFile(secretFile);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                throw new IllegalArgumentException(
                        message.contains(secretFile.toString())
                                ? "--secret-file: " + message
                                : "--secret-file " + secretFile + ": " + message,
                        e);
            }
        }
        String text = environment.apply(ClusterSecret.ENVIRONMENT);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return ClusterSecret.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ClusterSecret.ENVIRONMENT + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code --resources}: {@code NAME=AMOUNT} pairs separated by commas, such as {@code
     * GPU=1,process=1}; an amount is a number of zero or more.
     *
     * @param text the option's value
     * @return the amounts by name, in the order given
     * @throws IllegalArgumentException saying which pair is wrong and how to write them
     */
    static Map<String, BigDecimal> parseResources(String text) {
        Map<String, BigDecimal> amounts = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            int eq = pair.indexOf('=');
            String resource = eq < 0 ? "" : pair.substring(0, eq).strip();
            String amount = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (resource.isEmpty() || !AMOUNT.matcher(amount).matches()) {
                throw new IllegalArgumentException("cannot read '" + pair.strip() + "': write NAME=AMOUNT pairs"
                        + " separated by commas, each AMOUNT a number of zero or more, such as GPU=1,process=1");
            }
            BigDecimal value = new BigDecimal(amount);
            if (value.stripTrailingZeros().scale() > 6) {
                throw new IllegalArgumentException(
                        "cannot read '" + pair.strip() + "': amounts go down to a millionth, 0.000001");
            }
            if (amounts.put(resource, value) != null) {
                throw new IllegalArgumentException("'" + resource + "' is given twice");
            }
        }
        return amounts;
    }

    /** Returns the resources without a {@code GPU=auto} pair, which is not an amount but a request. */
    static String withoutAutoGpus(String text) {
        List<String> rest = new ArrayList<>();
        for (String pair : text.split(",", -1)) {
            if (!pair.replace(" ", "").equalsIgnoreCase("GPU=auto")) {
                rest.add(pair);
            }
        }
        return String.join(",", rest);
    }

    /** Prints {@code weft worker: } and the message on standard error, and returns exit code 2. */
    private int usageError(String format, Object... values) {
        spec.commandLine().getErr().printf(NAME + ": " + format + "%n", values);
        return ExitCode.USAGE;
    }
}
