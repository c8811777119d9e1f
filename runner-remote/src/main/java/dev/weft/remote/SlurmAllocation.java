package dev.weft.remote;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The SLURM allocation this process runs in, read from the variables SLURM gives a job and its tasks: the
 * job's id and nodes, this task's place in it, and the CPUs and GPUs it was given. Workers started with
 * {@code srun weft worker --slurm} and the flow's driver ({@code HazelcastTaskRunner.slurm()}) read the same
 * allocation, so they agree on the cluster's name ({@code slurm-<job id>}: jobs that share a node never
 * meet) and on where its workers listen: on each node of the job, ports from the base port on, one window
 * of ports per node ({@link #ports(int)}).
 *
 * <p>What the allocation gives, never what the host has: a worker's threads are {@code
 * SLURM_CPUS_PER_TASK}, or its node's CPUs ({@code SLURM_JOB_CPUS_PER_NODE}) shared among the node's tasks,
 * or 1; its {@code GPU} is {@code SLURM_GPUS_PER_TASK}, or the node's GPUs ({@code SLURM_GPUS_ON_NODE})
 * shared among its tasks, or none.
 */
public final class SlurmAllocation {
    /** Where workers listen by default: the first port of each node's window. */
    public static final int DEFAULT_BASE_PORT = 5701;

    /** How many ports a worker tries, in steps of the node's task count, before it gives up. */
    static final int TRIES = 4;

    private final String jobId;
    private final List<String> nodes;
    private final String node;
    private final int tasks;
    private final int tasksOnNode;
    private final int mostTasksOnANode;
    private final int procId;
    private final int localId;
    private final int cpus;
    private final double gpus;

    private SlurmAllocation(Function<String, String> env) {
        this.jobId = require(env, "SLURM_JOB_ID");
        String list =
                env.apply("SLURM_JOB_NODELIST") != null ? env.apply("SLURM_JOB_NODELIST") : env.apply("SLURM_NODELIST");
        if (list == null || list.isBlank()) {
            throw new IllegalStateException("SLURM_JOB_NODELIST is not set: is this process inside a SLURM job?");
        }
        this.nodes = expand(list);
        this.node = env.apply("SLURMD_NODENAME") != null
                ? env.apply("SLURMD_NODENAME").strip()
                : nodes.getFirst();
        this.procId = number(env, "SLURM_PROCID", 0);
        this.localId = number(env, "SLURM_LOCALID", 0);
        int nodeIndex = Math.max(0, nodes.indexOf(node));
        List<Integer> perNode = perNode(env.apply("SLURM_TASKS_PER_NODE"), nodes.size());
        int allTasks = number(env, "SLURM_NTASKS", -1);
        this.tasks = allTasks > 0
                ? allTasks
                : perNode.stream().mapToInt(Integer::intValue).sum();
        this.tasksOnNode = Math.max(1, perNode.isEmpty() ? 1 : perNode.get(Math.min(nodeIndex, perNode.size() - 1)));
        this.mostTasksOnANode =
                Math.max(1, perNode.stream().mapToInt(Integer::intValue).max().orElse(1));
        int perTask = number(env, "SLURM_CPUS_PER_TASK", -1);
        if (perTask > 0) {
            this.cpus = perTask;
        } else {
            List<Integer> cpusPerNode = perNode(env.apply("SLURM_JOB_CPUS_PER_NODE"), nodes.size());
            int onNode = cpusPerNode.isEmpty() ? 0 : cpusPerNode.get(Math.min(nodeIndex, cpusPerNode.size() - 1));
            this.cpus = Math.max(1, onNode / tasksOnNode);
        }
        double gpusPerTask = gpuCount(env.apply("SLURM_GPUS_PER_TASK"));
        if (gpusPerTask > 0) {
            this.gpus = gpusPerTask;
        } else {
            double onNode = gpuCount(env.apply("SLURM_GPUS_ON_NODE"));
            this.gpus = onNode > 0 ? Math.floor(onNode / tasksOnNode) : 0;
        }
    }

    /**
     * Reads the allocation of this process.
     *
     * @return the allocation
     * @throws IllegalStateException if this process is not in a SLURM job, naming what is missing
     */
    public static SlurmAllocation current() {
        return of(System.getenv());
    }

    /**
     * Reads an allocation from SLURM's variables.
     *
     * @param env the variables, as a job's task sees them
     * @return the allocation
     * @throws IllegalStateException if {@code SLURM_JOB_ID} or {@code SLURM_JOB_NODELIST} is missing or
     *     cannot be read
     */
    public static SlurmAllocation of(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        return new SlurmAllocation(env::get);
    }

    /**
     * Reads an allocation from SLURM's variables, as a function looks them up.
     *
     * @param env gives a variable's value by name, or null
     * @return the allocation
     * @throws IllegalStateException if {@code SLURM_JOB_ID} or {@code SLURM_JOB_NODELIST} is missing or
     *     cannot be read
     */
    public static SlurmAllocation of(Function<String, String> env) {
        return new SlurmAllocation(Objects.requireNonNull(env, "env"));
    }

    /**
     * Reads an allocation from a host list file, for a scheduler other than SLURM: PBS's and Torque's {@code
     * $PBS_NODEFILE}, LSF's {@code $LSB_DJOB_HOSTFILE}, or a file of host names written by hand. One worker
     * per host: the file's hosts are the nodes (one name a line, the first word; repeated names count once,
     * {@code #} starts a comment), and this host is the one whose name, short or full, is in it.
     *
     * @param hostFile the file
     * @param jobId the job's id, which names the cluster, such as {@code $PBS_JOBID}
     * @return the allocation, of one task per node and one CPU per task (give the worker its threads)
     * @throws IllegalStateException if the file cannot be read, lists no host, or not this one
     */
    public static SlurmAllocation hostFile(java.nio.file.Path hostFile, String jobId) {
        List<String> hosts;
        try {
            hosts = java.nio.file.Files.readAllLines(hostFile).stream()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .map(line -> line.split("\\s+")[0])
                    .distinct()
                    .toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read the host list " + hostFile + ": " + e.getMessage());
        }
        if (hosts.isEmpty()) {
            throw new IllegalStateException("The host list " + hostFile + " names no host");
        }
        String self = thisHost(hosts);
        if (self == null) {
            throw new IllegalStateException(
                    "The host list " + hostFile + " does not name this host; it names " + hosts);
        }
        String id = Objects.requireNonNull(jobId, "jobId").strip().replaceAll("[^A-Za-z0-9._-]", "_");
        Map<String, String> env = Map.of(
                "SLURM_JOB_ID", id,
                "SLURM_JOB_NODELIST", String.join(",", hosts),
                "SLURMD_NODENAME", self,
                "SLURM_PROCID", Integer.toString(hosts.indexOf(self)),
                "SLURM_NTASKS", Integer.toString(hosts.size()));
        return of(env);
    }

    /** Returns this host's name as the list has it, short or full, or null if it has neither. */
    private static String thisHost(List<String> hosts) {
        try {
            InetAddress local = InetAddress.getLocalHost();
            String full = local.getCanonicalHostName();
            String name = local.getHostName();
            for (String h : hosts) {
                String shortName = h.contains(".") ? h.substring(0, h.indexOf('.')) : h;
                if (h.equals(name) || h.equals(full) || shortName.equals(name) || name.startsWith(h + ".")) {
                    return h;
                }
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    /**
     * Returns the job's id.
     *
     * @return such as {@code 4242}
     */
    public String jobId() {
        return jobId;
    }

    /**
     * Returns the name of the job's cluster: {@code slurm-<job id>}.
     *
     * @return the name
     */
    public String clusterName() {
        return "slurm-" + jobId;
    }

    /**
     * Returns the job's nodes, from {@code SLURM_JOB_NODELIST}.
     *
     * @return host names, such as {@code [node01, node02]}
     */
    public List<String> nodes() {
        return nodes;
    }

    /**
     * Returns the node this process runs on.
     *
     * @return its name
     */
    public String node() {
        return node;
    }

    /**
     * Returns how many tasks the job has ({@code SLURM_NTASKS}): how many workers {@code srun weft worker
     * --slurm} starts.
     *
     * @return at least 1
     */
    public int tasks() {
        return Math.max(1, tasks);
    }

    /**
     * Returns this task's rank in the job ({@code SLURM_PROCID}).
     *
     * @return from 0
     */
    public int procId() {
        return procId;
    }

    /**
     * Returns this task's rank on its node ({@code SLURM_LOCALID}).
     *
     * @return from 0
     */
    public int localId() {
        return localId;
    }

    /**
     * Returns the CPUs of one task: a worker's threads.
     *
     * @return at least 1
     */
    public int cpusPerTask() {
        return cpus;
    }

    /**
     * Returns the GPUs of one task: a worker's {@code GPU} resource.
     *
     * @return 0 if the job has none
     */
    public double gpusPerTask() {
        return gpus;
    }

    /**
     * Returns the ports a worker of this task tries, in order: from {@code base + localId}, in steps of the
     * node's task count, so that the tasks of a node never take each other's, and a port another job holds
     * on a shared node is passed over.
     *
     * @param base the first port of each node's window
     * @return the ports
     */
    public List<Integer> ports(int base) {
        List<Integer> ports = new ArrayList<>();
        for (int k = 0; k < TRIES; k++) {
            ports.add(base + localId + k * tasksOnNode);
        }
        return ports;
    }

    /**
     * Returns the addresses where the job's workers may listen: every port of the window on every node, as
     * {@code host:port}. This task's own node is given as {@code ownAddress}, so that a node whose name does
     * not resolve, or resolves to another interface than the one bound, is still found.
     *
     * @param base the first port of each node's window
     * @param ownAddress the address this node's workers bind, or null to name the node
     * @return the addresses
     */
    public List<String> members(int base, String ownAddress) {
        List<String> members = new ArrayList<>();
        for (String n : nodes) {
            String host = n.equals(node) && ownAddress != null ? ownAddress : n;
            for (int port = base; port < base + TRIES * mostTasksOnANode; port++) {
                members.add(host + ":" + port);
            }
        }
        return members;
    }

    /**
     * Returns the IPv4 address a worker of this node binds: the named interface's, or else the address its
     * node name resolves to.
     *
     * @param networkInterface an interface's name, such as {@code ib0}, or null
     * @return the address
     * @throws IllegalArgumentException if the interface does not exist or has no IPv4 address, or the node
     *     name does not resolve
     */
    public String bindAddress(String networkInterface) {
        if (networkInterface != null) {
            return interfaceAddress(networkInterface);
        }
        try {
            return InetAddress.getByName(node).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("node name '" + node + "' does not resolve to an address: name the"
                    + " interface to listen on, such as --interface ib0");
        }
    }

    /**
     * Returns the first IPv4 address of a network interface.
     *
     * @param name such as {@code ib0} or {@code lo}
     * @return the address
     * @throws IllegalArgumentException if there is no such interface, or it has no IPv4 address
     */
    public static String interfaceAddress(String name) {
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            nic = null;
        }
        if (nic == null) {
            throw new IllegalArgumentException(
                    "this machine has no network interface '" + name + "'; it has " + interfaceNames());
        }
        for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            if (a instanceof Inet4Address) {
                return a.getHostAddress();
            }
        }
        throw new IllegalArgumentException("network interface '" + name + "' has no IPv4 address");
    }

    private static List<String> interfaceNames() {
        try {
            return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .map(NetworkInterface::getName)
                    .sorted()
                    .toList();
        } catch (SocketException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "SLURM job " + jobId + ", task " + procId + " of " + tasks() + " on " + node + " (" + cpus
                + (cpus == 1 ? " CPU" : " CPUs") + (gpus > 0 ? ", " + gpuText(gpus) + " GPU" : "") + ")";
    }

    private static String gpuText(double gpus) {
        return gpus == Math.rint(gpus) ? Long.toString((long) gpus) : Double.toString(gpus);
    }

    /**
     * Expands a SLURM host list, such as {@code node[01-03,07],gpu7} into {@code node01, node02, node03,
     * node07, gpu7}, keeping the digits' width.
     *
     * @param hostList the list, as in {@code SLURM_JOB_NODELIST}
     * @return the host names, in order
     * @throws IllegalStateException if it cannot be read
     */
    public static List<String> expand(String hostList) {
        List<String> hosts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        String text = hostList.strip();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                String part = text.substring(start, i).strip();
                if (!part.isEmpty()) {
                    expandOne(part, hostList, hosts);
                }
                start = i + 1;
            }
        }
        if (depth != 0 || hosts.isEmpty()) {
            throw new IllegalStateException("Cannot read the SLURM host list '" + hostList + "'");
        }
        return List.copyOf(hosts);
    }

    /** Expands one host expression, with at most one bracket group per level, left to right. */
    private static void expandOne(String part, String whole, List<String> into) {
        int open = part.indexOf('[');
        if (open < 0) {
            into.add(part);
            return;
        }
        int close = part.indexOf(']', open);
        if (close < 0) {
            throw new IllegalStateException("Cannot read the SLURM host list '" + whole + "'");
        }
        String prefix = part.substring(0, open);
        String suffix = part.substring(close + 1);
        for (String range : part.substring(open + 1, close).split(",")) {
            String r = range.strip();
            int dash = r.indexOf('-');
            try {
                if (dash < 0) {
                    expandOne(prefix + r + suffix, whole, into);
                } else {
                    String from = r.substring(0, dash);
                    int low = Integer.parseInt(from);
                    int high = Integer.parseInt(r.substring(dash + 1));
                    if (high < low || high - low > 100_000) {
                        throw new NumberFormatException();
                    }
                    for (int n = low; n <= high; n++) {
                        String digits = String.format("%0" + from.length() + "d", n);
                        expandOne(prefix + digits + suffix, whole, into);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "Cannot read the SLURM host list '" + whole + "': '" + r + "' is not a range");
            }
        }
    }

    /**
     * Reads SLURM's per-node counts, such as {@code 2(x3),1}, one per node; an empty list if unset.
     */
    static List<Integer> perNode(String counts, int nodes) {
        List<Integer> out = new ArrayList<>();
        if (counts == null || counts.isBlank()) {
            return out;
        }
        try {
            for (String part : counts.split(",")) {
                String p = part.strip();
                int paren = p.indexOf("(x");
                if (paren < 0) {
                    out.add(Integer.parseInt(p));
                } else {
                    int value = Integer.parseInt(p.substring(0, paren));
                    int times = Integer.parseInt(p.substring(paren + 2, p.indexOf(')', paren)));
                    for (int i = 0; i < times; i++) {
                        out.add(value);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot read SLURM's per-node count '" + counts + "'");
        }
        return out.size() > nodes && nodes > 0 ? out.subList(0, nodes) : out;
    }

    /** Reads a GPU count such as {@code 2} or {@code a100:2}; 0 if unset. */
    private static double gpuCount(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.strip();
        int colon = v.lastIndexOf(':');
        try {
            return Double.parseDouble(colon < 0 ? v : v.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String require(Function<String, String> env, String name) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: is this process inside a SLURM job?");
        }
        return value.strip();
    }

    private static int number(Function<String, String> env, String name, int otherwise) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + "='" + value + "' is not a number");
        }
    }
}
