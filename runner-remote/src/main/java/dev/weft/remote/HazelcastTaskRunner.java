package dev.weft.remote;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.LifecycleEvent;
import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.runner.CallEnvelope;
import dev.weft.runner.Lifecycle;
import dev.weft.runner.Placement;
import dev.weft.runner.RunnerSpec;
import dev.weft.runner.TaskFunction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task runs on the worker JVMs of a Hazelcast cluster: Weft's answer to Prefect's {@code
 * DaskTaskRunner} and {@code RayTaskRunner}. Either it creates a temporary cluster of worker JVMs on this
 * host for the flow run, from the flow's class path, and stops it when the run ends; or it joins a cluster
 * that runs already ({@code weft worker}), by address.
 *
 * {@snippet :
 * // a temporary cluster of 4 worker JVMs with 2 threads each, as cluster_kwargs={"n_workers": 4, "threads_per_worker": 2}
 * HazelcastTaskRunner local = HazelcastTaskRunner.builder().workers(4).threadsPerWorker(2).build();
 *
 * // between 1 and 3 workers, as adapt_kwargs={"minimum": 1, "maximum": 3}
 * HazelcastTaskRunner adaptive = HazelcastTaskRunner.builder().adapt(1, 3).build();
 *
 * // an existing cluster, as address="tcp://..."; the secret from WEFT_CLUSTER_SECRET
 * HazelcastTaskRunner existing = HazelcastTaskRunner.builder().address("127.0.0.1:5701").build();
 * }
 *
 * <p>Scheduling stays in the flow's process: the engine keeps dependencies, states, retries and tag
 * limits; this runner places each ready call on one worker whose free threads and resources cover it
 * ({@link Placement}, as every runner does), and sends it there signed with the cluster secret. Hazelcast
 * gives membership, transport and failure detection: when a worker leaves, its calls run again on the
 * others.
 *
 * <p>Thread-safe. Each flow run starts its own {@link #duplicate() copy}.
 */
public final class HazelcastTaskRunner implements TaskRunner {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.cluster");
    private static final RunnerSpec SPEC = new RunnerSpec(true, true, true, false);

    private final Builder settings;
    private final Lifecycle lifecycle = new Lifecycle("HazelcastTaskRunner");

    private volatile Placement placement;
    private volatile HazelcastInstance client;
    private volatile IExecutorService executor;
    private volatile WorkerPool cluster;
    /** Between how many workers the scaler keeps the cluster, and each worker's threads. */
    private int scaleMin;

    private int scaleMax;
    private int scaleThreads;
    private boolean scales;
    private volatile Scaler scaler;
    private volatile ClusterSecret secret;
    private volatile String clusterName;
    private volatile String created;
    /** Why nothing more can run, once the last worker is gone and none will come; null while some can. */
    private volatile String dead;
    /** Set once the runner stops its client and cluster itself: what they report then is not news. */
    private volatile boolean stopping;
    /** Whether a thread waits for workers to come back to a cluster joined by address. */
    private final AtomicBoolean rejoining = new AtomicBoolean();

    private final Map<String, Member> workers = new ConcurrentHashMap<>();
    /** The workers the placement has, with their resources: what the start waits for. */
    private final java.util.Set<String> placed = ConcurrentHashMap.newKeySet();
    /** When each worker joined, for workers that stop at the end of a lifetime (SLURM jobs'). */
    private final Map<String, Long> joinedAt = new ConcurrentHashMap<>();
    /** How long a worker runs before it stops by itself, or 0; it is replaced ahead of that. */
    private long lifetimeNanos;
    /** This runner, to its workers: whose calls and outbox are whose. */
    private final String id = UUID.randomUUID().toString();
    /** The link to each worker, by the worker's name. */
    private final Map<String, Link> links = new ConcurrentHashMap<>();
    /** Each call handed to a worker's link, until it ends there: with the link it went to. */
    private final Map<UUID, Sent> calls = new ConcurrentHashMap<>();

    private volatile IExecutorService replies;
    /** Calls submitted and calls started, so that the difference is what waits for a thread. */
    private final AtomicLong submitted = new AtomicLong();

    private final AtomicLong begun = new AtomicLong();
    /** Calls that ended while they waited (cancelled, timed out): never sent, they wait no more. */
    private final AtomicLong withdrawn = new AtomicLong();

    /** The functions of the tasks this runner sent, with the key each travels under. */
    private final Map<TaskFunction, Function> functions = new ConcurrentHashMap<>();

    private final AtomicInteger functionKeys = new AtomicInteger();
    private final Object joined = new Object();

    private HazelcastTaskRunner(Builder settings) {
        this.settings = settings;
    }

    /**
     * Creates a runner with the defaults: a temporary cluster of two worker JVMs, each with half the cores as
     * threads (at least one), and no resources.
     */
    public HazelcastTaskRunner() {
        this(new Builder());
    }

    /**
     * Returns a builder of a runner.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public RunnerSpec spec() {
        return SPEC;
    }

    @Override
    public String describe() {
        return created + ": " + describeWorkers();
    }

    @Override
    public void start() {
        lifecycle.start();
        long deadline = System.nanoTime() + settings.startTimeout.toNanos();
        placement = Placement.builder("HazelcastTaskRunner")
                .workersMayLeave()
                .launcher(this::launch)
                .build();
        try {
            if (settings.slurmJobs != null) {
                startSlurmJobs(deadline);
            } else if (settings.addresses.isEmpty()) {
                startTemporary(deadline);
            } else {
                joinExisting(deadline);
            }
        } catch (RuntimeException e) {
            stopEverything();
            throw e;
        }
    }

    private void startTemporary(long deadline) {
        secret = ClusterSecret.random();
        clusterName = "weft-" + HexFormat.of().formatHex(nonce(4));
        int first = settings.adaptive ? settings.minimum : settings.workers;
        LocalCluster local = new LocalCluster(
                clusterName,
                settings.host,
                secret,
                settings.threadsPerWorker,
                settings.resources,
                settings.jvmOptions,
                settings.gpuWorkers);
        cluster = local;
        local.start(Math.max(first, 1), deadline);
        connect(local.addresses(), deadline);
        awaitWorkers(Math.max(first, 1), deadline);
        created = "Created temporary cluster '" + clusterName + "' on " + settings.host;
        if (settings.gpuWorkers) {
            created += ", each worker with a device of its own (GPU=auto)";
        }
        if (settings.adaptive) {
            created += ", adapting between " + settings.minimum + " and " + settings.maximum + " workers";
            scaleMin = settings.minimum;
            scaleMax = settings.maximum;
            scaleThreads = settings.threadsPerWorker;
            scales = true;
            scaler = new Scaler();
            scaler.start();
        }
    }

    /**
     * Submits the first SLURM job and waits for its worker, connects to it, then submits the rest of the
     * minimum; the scaler keeps the count between the minimum and the maximum from then on.
     */
    private void startSlurmJobs(long deadline) {
        SlurmJobs jobs = settings.slurmJobs;
        secret = ClusterSecret.random();
        clusterName = "weft-" + HexFormat.of().formatHex(nonce(4));
        java.nio.file.Path directory = (jobs.directory() != null
                        ? jobs.directory()
                        : dev.weft.Settings.load().home().resolve("slurm"))
                .resolve(clusterName);
        SlurmJobs.Pool pool = jobs.pool(clusterName, directory, secret);
        cluster = pool;
        pool.start(1, deadline);
        connect(pool.addresses(), deadline);
        awaitWorkers(1, deadline);
        if (jobs.minimum() > 1) {
            pool.start(jobs.minimum() - 1, deadline);
        }
        created = "Submitted " + jobs + " for cluster '" + clusterName + "', keeping "
                + (jobs.minimum() == jobs.maximum()
                        ? jobs.minimum() + (jobs.minimum() == 1 ? " job" : " jobs")
                        : "between " + jobs.minimum() + " and " + jobs.maximum() + " jobs")
                + "; their files are in " + directory;
        scaleMin = jobs.minimum();
        scaleMax = jobs.maximum();
        lifetimeNanos = jobs.lifetime().toNanos();
        scaleThreads = jobs.cpus();
        scales = true;
        scaler = new Scaler();
        scaler.start();
    }

    private void joinExisting(long deadline) {
        secret = settings.secret != null ? settings.secret : ClusterSecret.fromEnvironment();
        if (secret == null) {
            throw new IllegalStateException("HazelcastTaskRunner needs the secret of cluster '" + settings.clusterName
                    + "': set " + ClusterSecret.ENVIRONMENT + " or give secret(...)");
        }
        clusterName = settings.clusterName;
        connect(settings.addresses, deadline);
        if (settings.joined != null) { // a SLURM job's: its workers, one per task
            try {
                awaitWorkers(settings.expected, deadline);
            } catch (IllegalStateException e) {
                if (workers.isEmpty()) {
                    throw e;
                }
                LOG.warn("HazelcastTaskRunner: {}; it goes on with the workers it has", e.getMessage());
            }
            created = "Joined cluster '" + clusterName + "' of " + settings.joined.replaceFirst(", task .*", "") + " ("
                    + workers.size() + (workers.size() == 1 ? " worker" : " workers") + ")";
            return;
        }
        awaitWorkers(1, deadline);
        created = "Joined cluster '" + clusterName + "' at " + String.join(", ", settings.addresses);
    }

    private void connect(List<String> addresses, long deadline) {
        Members.quietHazelcastLogs();
        long millis = Math.max(1000, settings.startTimeout.toMillis()); // to connect, and to reconnect
        try {
            client = HazelcastClient.newHazelcastClient(Members.client(clusterName, addresses, millis));
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "HazelcastTaskRunner cannot reach cluster '" + clusterName + "' at " + String.join(", ", addresses)
                            + ": " + e.getMessage(),
                    e);
        }
        executor = client.getExecutorService(Members.EXECUTOR);
        replies = client.getExecutorService(Members.REPLIES);
        client.getLifecycleService().addLifecycleListener(this::connectionChanged);
        client.getCluster().addMembershipListener(new InitialMembershipListener() {
            @Override
            public void init(InitialMembershipEvent event) {
                event.getMembers().forEach(HazelcastTaskRunner.this::greet);
            }

            @Override
            public void memberAdded(MembershipEvent event) {
                greet(event.getMember());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                left(event.getMember());
            }
        });
    }

    /** Waits until {@code count} workers have proved they hold the secret. */
    private void awaitWorkers(int count, long deadline) {
        synchronized (joined) {
            while (placed.size() < count) { // placed, with their resources: a call submitted next sees them all
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("HazelcastTaskRunner found " + workers.size() + " of " + count
                            + " Weft workers in cluster '" + clusterName + "' within "
                            + settings.startTimeout.toSeconds() + " s"
                            + (workers.isEmpty() ? ": are they started with the same cluster name and secret?" : ""));
                }
                try {
                    joined.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the cluster's workers", e);
                }
            }
        }
    }

    /** A member joined: it becomes a worker once it proves it holds the secret. */
    private void greet(Member member) {
        String name = member.getAttribute(Members.ATTR_NAME);
        if (name == null) {
            LOG.warn(
                    "Member {} of cluster '{}' is not a Weft worker; nothing is placed on it",
                    member.getAddress(),
                    clusterName);
            return;
        }
        Thread.ofVirtual().name("weft-handshake-" + name).start(() -> admit(member, name));
    }

    /** Asks a member for its proof, again while it is too new for the member the request goes through. */
    private void admit(Member member, String name) {
        byte[] nonce = nonce(32);
        byte[] signed = null;
        for (int attempt = 1; signed == null; attempt++) {
            try {
                signed = executor.submitToMember(new Handshake(nonce), member).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                boolean stillThere = client.getCluster().getMembers().contains(member);
                if (stillThere && attempt < 50 && !stopping && !(cause instanceof SecurityException)) {
                    sleep(100); // such as the cluster not having told every member of the new one yet
                    continue;
                }
                if (stillThere && !stopping) {
                    LOG.warn(
                            "Worker '{}' at {} did not prove it holds the cluster secret ({}); nothing is placed on it",
                            name,
                            member.getAddress(),
                            cause.toString());
                }
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
        byte[] challenge = Handshake.challenge(nonce, member.getUuid().toString());
        if (!secret.verify(Handshake.PURPOSE, challenge, signed)) {
            LOG.warn(
                    "Worker '{}' at {} does not hold the cluster secret; nothing is placed on it",
                    name,
                    member.getAddress());
            return;
        }
        if (!client.getCluster().getMembers().contains(member)) {
            return; // it left while proving itself
        }
        int threads = Integer.parseInt(Objects.requireNonNullElse(member.getAttribute(Members.ATTR_THREADS), "1"));
        Resources resources = Members.parse(member.getAttribute(Members.ATTR_RESOURCES));
        joinedAt.putIfAbsent(name, System.nanoTime());
        if (workers.putIfAbsent(name, member) != null) {
            LOG.warn(
                    "A second worker named '{}' at {} joined cluster '{}'; nothing is placed on it",
                    name,
                    member.getAddress(),
                    clusterName);
            return;
        }
        Link link = new Link(name, member, threads, resources);
        links.put(name, link);
        placement.addWorker(name, resources, link.slots);
        placed.add(name);
        link.start();
        if (created != null) {
            LOG.info(
                    "Worker '{}' at {} joined cluster '{}': {}",
                    name,
                    member.getAddress(),
                    clusterName,
                    describeWorkers());
        }
        synchronized (joined) {
            joined.notifyAll();
        }
    }

    /** A member left: the calls placed on it go back to the engine as lost, and run again elsewhere. */
    private void left(Member member) {
        String name = member.getAttribute(Members.ATTR_NAME);
        if (name == null || !workers.remove(name, member)) {
            return;
        }
        joinedAt.remove(name);
        placed.remove(name);
        Link link = links.remove(name);
        if (link != null) {
            link.active = false;
            link.collector.interrupt();
            LockSupport.unpark(link.sender);
        }
        int lost;
        try {
            lost = placement.removeWorker(name, "it is gone from cluster '" + clusterName + "'");
        } catch (IllegalArgumentException e) {
            return; // removed as idle already
        } finally {
            calls.values().removeIf(s -> s.link == link); // handed back as lost: placed again under a new link
        }
        if (stopping) {
            return;
        }
        LOG.warn(
                "Worker '{}' at {} left cluster '{}'{}",
                name,
                member.getAddress(),
                clusterName,
                lost == 0 ? "" : "; its " + lost + (lost == 1 ? " call runs" : " calls run") + " again elsewhere");
        if (workers.isEmpty() && !scales && dead == null) {
            if (cluster != null) {
                dead = "every worker of cluster '" + clusterName + "' is gone, and this temporary cluster starts"
                        + " no new ones";
                crashWaiting();
            } else if (rejoining.compareAndSet(false, true)) {
                Thread.ofVirtual().name("weft-rejoin").start(this::awaitRejoin);
            }
        }
    }

    /**
     * A cluster joined by address may get workers back: calls wait for one as long as the runner waited for
     * the first, then crash, and so do the calls that come after.
     */
    private void awaitRejoin() {
        long deadline = System.nanoTime() + settings.startTimeout.toNanos();
        synchronized (joined) {
            while (workers.isEmpty() && System.nanoTime() < deadline && !lifecycle.isShutDown()) {
                try {
                    joined.wait(200);
                } catch (InterruptedException e) {
                    rejoining.set(false);
                    return;
                }
            }
        }
        rejoining.set(false);
        if (workers.isEmpty() && dead == null) {
            dead = "every worker of cluster '" + clusterName + "' is gone, and none joined again within "
                    + settings.startTimeout.toSeconds() + " s";
            crashWaiting();
        }
    }

    private void crashWaiting() {
        String why = dead;
        if (why != null) {
            LOG.error("HazelcastTaskRunner: {}; the calls that wait end crashed", why);
            placement.crashWaiting("HazelcastTaskRunner cannot run the call: " + why);
        }
    }

    private void connectionChanged(LifecycleEvent event) {
        if (stopping) {
            return;
        }
        switch (event.getState()) {
            case CLIENT_DISCONNECTED ->
                LOG.warn(
                        "HazelcastTaskRunner lost its connection to cluster '{}'; it tries again for {} s",
                        clusterName,
                        settings.startTimeout.toSeconds());
            case CLIENT_CONNECTED -> LOG.info("HazelcastTaskRunner is connected to cluster '{}' again", clusterName);
            case SHUTDOWN -> {
                dead = "HazelcastTaskRunner lost cluster '" + clusterName + "': it could not reconnect";
                LOG.error("{}", dead);
                for (String name : List.copyOf(workers.keySet())) {
                    workers.remove(name);
                    placed.remove(name);
                    try {
                        placement.removeWorker(name, "cluster '" + clusterName + "' is unreachable");
                    } catch (IllegalArgumentException e) {
                        // gone already
                    }
                }
                placement.crashWaiting(dead);
            }
            default -> {}
        }
    }

    /**
     * Describes the workers as {@code 2 workers x 2 threads, each with {GPU=1}}: their threads, not the calls
     * each may hold, which include those sent ahead.
     */
    private String describeWorkers() {
        Map<Kind, Integer> kinds = new java.util.LinkedHashMap<>();
        for (Link link : links.values()) {
            kinds.merge(new Kind(link.threads, link.resources), 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, n) -> parts.add(n
                + (n == 1 ? " worker x " : " workers x ")
                + kind.threads
                + (kind.threads == 1 ? " thread" : " threads")
                + (kind.resources.isEmpty() ? "" : (n == 1 ? ", with " : ", each with ") + kind.resources)));
        return parts.isEmpty() ? "no workers" : String.join(" and ", parts);
    }

    /** What makes workers alike in a description: their threads and their resources. */
    private record Kind(int threads, Resources resources) {}

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        String why = dead;
        if (why != null && workers.isEmpty()) {
            throw new IllegalStateException("HazelcastTaskRunner cannot run the call: " + why);
        }
        submitted.incrementAndGet();
        try {
            placement.submit(call);
        } catch (RuntimeException e) {
            submitted.decrementAndGet();
            throw e;
        }
    }

    private void launch(Placement.Placed placed) {
        Call call = placed.call();
        Link link = links.get(placed.worker());
        if (link == null) {
            return; // its worker left as it was placed: the call went back as lost
        }
        link.busy();
        Sent s = new Sent(placed, link);
        calls.put(call.id(), s);
        link.pending.add(s);
        if (!COLLECTING.get()) {
            link.wake(); // a collector wakes the senders once it has placed what its events made room for
        }
    }

    /** Whether this thread is a collector handling the events of one collect. */
    private static final ThreadLocal<Boolean> COLLECTING = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * A call on its way to a worker, or sent: its placement, its link, the size of its bytes, whether it left
     * and whether it started.
     */
    private static final class Sent {
        final Placement.Placed placed;
        final Link link;
        int bytes;
        volatile boolean out;
        volatile boolean started;

        Sent(Placement.Placed placed, Link link) {
            this.placed = placed;
            this.link = link;
        }
    }

    /**
     * Returns the key a task's function travels under: sent once to each worker, then named by its key. Past
     * {@link #KEYED} functions (tasks made on the fly), a function travels with each call instead.
     */
    private Function functionOf(Call call) {
        Function known = functions.get(call.function());
        if (known != null) {
            return known;
        }
        byte[] bytes = CallEnvelope.functionBytes(call);
        if (functions.size() >= KEYED) {
            return new Function(Wire.INLINE, bytes);
        }
        return functions.computeIfAbsent(call.function(), f -> new Function(functionKeys.getAndIncrement(), bytes));
    }

    /** How many functions a runner keeps a key for. */
    private static final int KEYED = 1024;

    /** A task's function as it travels: its key ({@link Wire#INLINE} for none) and its bytes. */
    private record Function(int key, byte[] bytes) {}

    /**
     * The runner's line to one worker. Calls placed on the worker queue here, and a sender takes all that
     * wait into one batch, one message: while it sends one, the next gathers. While requests ahead of the
     * worker's threads add up to more than {@link #AHEAD_BYTES}, the next wait here. A collector asks the
     * worker over and over what has happened to the calls, and ends each call with its outcome as it comes.
     */
    private final class Link {
        /** How many bytes of calls may wait in a worker's line before more are held back here. */
        static final long AHEAD_BYTES = 64L << 20;

        /** How much work, by the calls' mean run time, is sent ahead of each of a worker's threads. */
        static final long AHEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

        /**
         * The fewest calls sent ahead of a thread, however long calls run: a worker's line orders what is in
         * it by priority, so that a high-priority call submitted after a few others still starts first.
         */
        static final int FEWEST_AHEAD = 4;

        final String name;
        final Member member;
        final int threads;
        final Resources resources;
        final ConcurrentLinkedQueue<Sent> pending = new ConcurrentLinkedQueue<>();
        /** The keys of the functions this worker has taken: calls name them without their bytes. */
        final Set<Integer> known = ConcurrentHashMap.newKeySet();

        final AtomicLong aheadBytes = new AtomicLong();
        final Thread collector;
        final Thread sender;
        /** Whether the sender sleeps, or is about to: then a call placed here wakes it. */
        volatile boolean idle;

        volatile boolean active = true;
        /** When a call was last placed here, started or ended here: for adaptive scaling. */
        volatile long lastBusy = System.nanoTime();

        /** How many calls the placement gives this worker at once: its threads, and those sent ahead. */
        int slots;

        /** The mean time its calls ran, in nanoseconds, weighing the latest most; 0 before the first. */
        private double meanRunNanos;

        Link(String name, Member member, int threads, Resources resources) {
            this.name = name;
            this.member = member;
            this.threads = threads;
            this.resources = resources;
            this.slots = threads * (1 + aheadPerThread());
            this.collector = Thread.ofVirtual().name("weft-collect-" + name).unstarted(this::collect);
            this.sender = Thread.ofVirtual().name("weft-send-" + name).unstarted(this::send);
        }

        void start() {
            collector.start();
            sender.start();
        }

        void busy() {
            lastBusy = System.nanoTime();
        }

        /**
         * Returns how many calls to send ahead of each thread: enough for {@link #AHEAD_NANOS} by the
         * calls' mean run time, a power of two between {@link #FEWEST_AHEAD} (also before any ran) and the
         * builder's most.
         */
        int aheadPerThread() {
            int most = settings.sendAhead;
            int fewest = Math.min(FEWEST_AHEAD, most);
            if (meanRunNanos == 0) {
                return fewest;
            }
            double wanted = AHEAD_NANOS / Math.max(meanRunNanos, 1);
            return wanted >= most ? most : Math.max(fewest, Integer.highestOneBit((int) wanted));
        }

        /** Gives the placement as many slots for this worker as the calls' run time asks for now. */
        private void resize() {
            int wanted = threads * (1 + aheadPerThread());
            if (wanted != slots && placement.resizeWorker(name, wanted)) {
                slots = wanted;
            }
        }

        /** Wakes the sender if it sleeps while calls wait here: new ones, or room ahead of the worker was made. */
        void wake() {
            if (idle && !pending.isEmpty()) { // a call placed after this look wakes it itself
                idle = false;
                LockSupport.unpark(sender);
            }
        }

        private boolean sendable() {
            return !pending.isEmpty() && aheadBytes.get() < AHEAD_BYTES;
        }

        /** Sends what waits here, a batch at a time, until the worker or the runner is gone. */
        private void send() {
            while (active && !stopping) {
                if (sendable()) {
                    sendBatch();
                    continue;
                }
                idle = true;
                if (!sendable() && active && !stopping) { // a call placed after the look above is seen here
                    LockSupport.park(this);
                }
                idle = false;
            }
        }

        private void sendBatch() {
            List<Wire.Job> jobs = new ArrayList<>();
            List<Sent> batch = new ArrayList<>();
            Map<Integer, byte[]> defined = new HashMap<>();
            Sent next;
            while (aheadBytes.get() < AHEAD_BYTES && (next = pending.poll()) != null) {
                Call call = next.placed.call();
                next.out = true; // before the look: a stop that comes after it sees the call as sent
                if (calls.get(call.id()) != next) {
                    next.placed.end(); // it ended (or went back as lost) before it left
                    continue;
                }
                Function function;
                byte[] arguments;
                try {
                    function = functionOf(call);
                    arguments = CallEnvelope.arguments(call);
                } catch (CallEnvelope.UnserializableException e) {
                    calls.remove(call.id(), next);
                    withdrawn.incrementAndGet();
                    next.placed.crash(e);
                    continue;
                }
                int key = function.key();
                if (key != Wire.INLINE && !known.contains(key)) {
                    defined.putIfAbsent(key, function.bytes());
                }
                Map<String, Double> needs = call.resources().asMap();
                jobs.add(new Wire.Job(
                        call.id(),
                        key,
                        key == Wire.INLINE ? function.bytes() : null,
                        call.priority(),
                        needs.keySet().toArray(String[]::new),
                        needs.values().stream().mapToDouble(Double::doubleValue).toArray(),
                        arguments));
                next.bytes = arguments.length + (key == Wire.INLINE ? function.bytes().length : 0);
                aheadBytes.addAndGet(next.bytes);
                batch.add(next);
            }
            if (batch.isEmpty()) {
                return;
            }
            byte[] body = Wire.jobs(defined, jobs);
            Future<Boolean> accepted;
            try {
                accepted = executor.submitToMember(new Batch(id, body, secret), member);
            } catch (RuntimeException e) {
                refused(batch, e);
                return;
            }
            if (accepted instanceof CompletionStage<?> stage) {
                stage.whenComplete((ok, error) -> {
                    if (error != null) {
                        refused(batch, unwrap(error));
                    } else {
                        known.addAll(defined.keySet()); // the worker holds them now: later calls only name them
                    }
                });
            }
        }

        /**
         * The worker did not take a batch: gone, it hands its calls back; cut off from this runner for a moment,
         * the calls wait here again and go with the next batch; otherwise they crash.
         */
        private void refused(List<Sent> batch, Throwable cause) {
            if (stopping) {
                left(member);
                return;
            }
            if (cut(cause)) {
                Thread.ofVirtual().name("weft-probe-" + name).start(() -> {
                    if (!active || !reachable(member)) {
                        left(member);
                        return;
                    }
                    for (Sent s : batch) {
                        aheadBytes.addAndGet(-s.bytes);
                        s.out = false;
                        pending.add(s); // the collector wakes the sender once the connection is back
                    }
                });
                return;
            }
            if (memberGone(cause)) {
                left(member);
                return;
            }
            for (Sent s : batch) {
                if (calls.remove(s.placed.call().id(), s)) {
                    withdrawn.incrementAndGet();
                    s.placed.crash(new IllegalStateException(
                            "Worker '" + name + "' did not take the call: " + cause.getMessage(), cause));
                }
            }
        }

        /** Asks the worker what happened to the calls, until it or the runner is gone. */
        private void collect() {
            Collect request = new Collect(id, secret);
            while (active && !stopping) {
                byte[] signed;
                try {
                    signed = replies.submitToMember(request, member).get();
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException | RuntimeException e) {
                    Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                    if (stopping || !active) {
                        return;
                    }
                    if (cut(cause) && reachable(member)) { // this runner's connection broke, not the worker
                        sleep(200);
                        continue;
                    }
                    if (memberGone(cause)) {
                        left(member); // before the cluster says so, which it may never do if it was the last
                        return;
                    }
                    LOG.warn(
                            "HazelcastTaskRunner could not collect results from worker '{}': {}",
                            name,
                            cause.toString());
                    sleep(200);
                    continue;
                }
                List<Wire.Event> events;
                try {
                    events = Wire.openedEvents(secret, id, signed, name);
                } catch (RuntimeException e) {
                    LOG.error("HazelcastTaskRunner: {}", e.getMessage());
                    continue;
                }
                COLLECTING.set(Boolean.TRUE); // the calls placed meanwhile leave together, in one batch a worker
                try {
                    for (Wire.Event event : events) {
                        switch (event.kind()) {
                            case Wire.STARTED -> started(event.id());
                            case Wire.ENDED -> ended(event);
                            default -> dropped(event.id());
                        }
                    }
                } finally {
                    COLLECTING.set(Boolean.FALSE);
                }
                resize();
                for (Link link : links.values()) {
                    link.wake();
                }
            }
        }

        /** Returns the call sent here under that id, unless it ended or went elsewhere meanwhile. */
        private Sent sentHere(UUID call) {
            Sent s = calls.get(call);
            return s != null && s.link == this && s.out ? s : null;
        }

        private void started(UUID call) {
            Sent s = sentHere(call);
            if (s != null) {
                begin(s);
            }
        }

        /** The call started on the worker: it runs. Returns false if it ended here meanwhile. */
        private boolean begin(Sent s) {
            s.started = true;
            aheadBytes.addAndGet(-s.bytes);
            begun.incrementAndGet();
            busy();
            if (!s.placed.begin()) { // it ended meanwhile (cancelled, timed out), or went back as lost
                UUID call = s.placed.call().id();
                calls.remove(call, s);
                cancel(List.of(call));
                return false;
            }
            return true;
        }

        /** The worker dropped a call it was told to stop before it started: its slot is free now. */
        private void dropped(UUID call) {
            Sent s = sentHere(call);
            if (s != null && !s.started && calls.remove(call, s)) {
                aheadBytes.addAndGet(-s.bytes);
                s.placed.end();
            }
        }

        /** The call ended on the worker; if the worker did not say it started, it started too. */
        private void ended(Wire.Event event) {
            Sent s = sentHere(event.id());
            busy();
            if (s == null || (!s.started && !begin(s)) || !calls.remove(event.id(), s) || !s.placed.held()) {
                return; // it ended without this worker, or went back as lost: what came late is ignored
            }
            meanRunNanos = meanRunNanos == 0 ? event.ranNanos() : meanRunNanos + (event.ranNanos() - meanRunNanos) / 16;
            printHere(event.out(), event.err()); // before the outcome, so that it shows before the run ends
            CallEnvelope.deliver(event.outcome(), s.placed.call());
            s.placed.end();
        }

        /** Tells the worker to stop these calls. */
        void cancel(List<UUID> calls) {
            byte[] body = Wire.ids(calls);
            try {
                executor.submitToMember(Cancel.calls(id, body, secret), member);
            } catch (RuntimeException e) {
                // the worker is gone: so is the call
            }
        }

        /** Tells the worker this runner is gone, and stops collecting. */
        void close() {
            active = false; // the collector stops after its request in flight, within a second
            LockSupport.unpark(sender);
            try {
                executor.submitToMember(Cancel.runner(id, secret), member);
            } catch (RuntimeException e) {
                // the worker or the connection is gone: it forgets this runner after a minute by itself
            }
        }
    }

    /** Prints here what a call printed on its worker, as Dask forwards its workers' prints. */
    private static void printHere(byte[] out, byte[] err) {
        if (out.length > 0) {
            System.out.write(out, 0, out.length);
            System.out.flush();
        }
        if (err.length > 0) {
            System.err.write(err, 0, err.length);
            System.err.flush();
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether a member that this runner lost its connection to still listens: the runner's one connection
     * into the cluster may have gone with another member, before it connected to this one, which is still a
     * member then. A port that refuses connections, or does not answer within a second, is a worker gone.
     */
    private static boolean reachable(Member member) {
        if (member.getAddress() == null) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(
                            member.getAddress().getInetAddress(),
                            member.getAddress().getPort()),
                    1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a request failed because its connection closed: the member may be gone, or only the link. */
    private static boolean cut(Throwable cause) {
        return cause instanceof com.hazelcast.spi.exception.TargetDisconnectedException;
    }

    private static boolean memberGone(Throwable cause) {
        return cause instanceof com.hazelcast.core.MemberLeftException
                || cause instanceof com.hazelcast.spi.exception.TargetNotMemberException
                || cause instanceof com.hazelcast.spi.exception.TargetDisconnectedException
                || cause instanceof com.hazelcast.core.HazelcastInstanceNotActiveException
                || cause instanceof com.hazelcast.client.HazelcastClientNotActiveException;
    }

    @Override
    public void stop(Call call, String why) {
        Sent s = calls.get(call.id());
        if (s == null) {
            withdrawn.incrementAndGet(); // it ended before it was handed to a worker
            return;
        }
        if (!s.out) {
            calls.remove(call.id(), s); // it waits in the link, which drops it rather than send it
            return;
        }
        s.link.cancel(List.of(call.id()));
        // It may have started on the worker already, unknown here yet: its slot and resources are given back
        // when the worker says it dropped the call, or when the call ends there, interrupted.
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            placement.crashWaiting("HazelcastTaskRunner was shut down before the call could start");
            stopEverything();
        }
    }

    private void stopEverything() {
        stopping = true;
        for (Link link : links.values()) {
            link.close();
        }
        Scaler s = scaler;
        if (s != null) {
            s.interrupt();
        }
        HazelcastInstance c = client;
        if (c != null) {
            c.shutdown();
        }
        WorkerPool local = cluster;
        if (local != null) {
            local.close();
        }
    }

    @Override
    public TaskRunner duplicate() {
        return new HazelcastTaskRunner(settings);
    }

    @Override
    public String toString() {
        return settings.addresses.isEmpty()
                ? "HazelcastTaskRunner(temporary cluster, "
                        + (settings.adaptive ? settings.minimum + " to " + settings.maximum : settings.workers)
                        + " workers x " + settings.threadsPerWorker + " threads)"
                : "HazelcastTaskRunner(" + String.join(", ", settings.addresses) + ")";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] nonce(int length) {
        byte[] bytes = new byte[length];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * Reads {@code host:port}.
     *
     * @throws IllegalArgumentException if it is not that
     */
    static InetSocketAddress parseAddress(String address) {
        String a = address.strip();
        if (a.startsWith("tcp://")) {
            a = a.substring("tcp://".length());
        }
        int colon = a.lastIndexOf(':');
        try {
            int port = Integer.parseInt(a.substring(colon + 1));
            String host = a.substring(0, colon);
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new IllegalArgumentException();
            }
            return InetSocketAddress.createUnresolved(host, port);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Cannot read address '" + address + "': write it as HOST:PORT, such as 127.0.0.1:5701");
        }
    }

    /**
     * Grows the temporary cluster while calls wait for a thread, and shrinks it when workers idle, between the
     * minimum and the maximum. Each change is logged.
     */
    private final class Scaler extends Thread {
        /** For how many looks in a row some call has waited for a thread. */
        private int waitedTicks;

        Scaler() {
            super("weft-scaler");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!lifecycle.isShutDown()) {
                    adjust();
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                // shut down
            } catch (RuntimeException e) {
                if (!stopping && !lifecycle.isShutDown()) {
                    LOG.error("HazelcastTaskRunner stopped adapting its cluster: {}", e.toString());
                }
            }
        }

        private void adjust() {
            int now = workers.size() - retiring() + cluster.starting(workers.keySet());
            long waiting = Math.max(0, submitted.get() - begun.get() - withdrawn.get());
            if (now < scaleMin) {
                grow(scaleMin - now, "the cluster has " + now + " of at least " + scaleMin + " workers");
                return;
            }
            waitedTicks = waiting > 0 ? waitedTicks + 1 : 0;
            if (waitedTicks >= 2 && now < scaleMax) { // calls that wait a moment, not one in passing
                waitedTicks = 0;
                long wanted = (waiting + scaleThreads - 1) / scaleThreads;
                int more = (int) Math.min(wanted, scaleMax - now);
                grow(more, waiting + (waiting == 1 ? " call waits" : " calls wait") + " for a thread");
                return;
            }
            long idleNanos = settings.idle.toNanos();
            for (String name : List.copyOf(workers.keySet())) {
                Link busy = links.get(name);
                if (workers.size() <= scaleMin || waiting > 0) {
                    return;
                }
                if (busy != null
                        && System.nanoTime() - busy.lastBusy > idleNanos
                        && placement.busySlots(name) == 0
                        && placement.removeIdleWorker(name)) {
                    workers.remove(name);
                    placed.remove(name);
                    Link link = links.remove(name);
                    if (link != null) {
                        link.close();
                    }
                    int left = workers.size();
                    LOG.info(
                            "Removing worker '{}': idle for {} s; {} {} (at least {})",
                            name,
                            settings.idle.toSeconds(),
                            count(left),
                            left == 1 ? "remains" : "remain",
                            scaleMin);
                    cluster.stop(name);
                }
            }
        }

        /**
         * Counts the workers near the end of their lifetime: their replacements are started ahead, half their
         * lifetime before it ends but at most two minutes, so that the cluster never runs short.
         */
        private int retiring() {
            if (lifetimeNanos <= 0) {
                return 0;
            }
            long ahead = Math.min(lifetimeNanos / 2, TimeUnit.MINUTES.toNanos(2));
            long now = System.nanoTime();
            int retiring = 0;
            for (String name : workers.keySet()) {
                Long since = joinedAt.get(name);
                if (since != null && now - since > lifetimeNanos - ahead) {
                    retiring++;
                }
            }
            return retiring;
        }

        private static String count(int workers) {
            return workers + (workers == 1 ? " worker" : " workers");
        }

        private void grow(int count, String why) {
            long deadline = System.nanoTime() + settings.startTimeout.toNanos();
            int target = workers.size() + count;
            List<String> names = cluster.start(count, deadline);
            LOG.info(
                    "Adding {} ({}): {}; {} (at most {})",
                    count(count),
                    String.join(", ", names),
                    why,
                    count(target),
                    scaleMax);
            if (!(cluster instanceof LocalCluster)) {
                return; // jobs join when the scheduler starts them; they count as starting meanwhile
            }
            try {
                awaitWorkers(target, deadline);
            } catch (IllegalStateException e) {
                LOG.warn("HazelcastTaskRunner: {}; it goes on with the workers it has", e.getMessage());
            }
        }
    }

    /**
     * Makes a runner on the workers of the SLURM job this process runs in: {@code
     * builder().slurm().build()}. In a job script, start the workers with {@code srun weft worker --slurm
     * &}, then run the flow in the script: its driver joins them.
     *
     * @return the runner
     * @throws IllegalStateException if this process is not in a SLURM job
     */
    public static HazelcastTaskRunner slurm() {
        return builder().slurm().build();
    }

    /**
     * The system property that {@code weft run --slurm} sets: a runner built without an address then joins
     * the SLURM job's workers instead of creating a temporary cluster.
     */
    public static final String SLURM_PROPERTY = "weft.slurm";

    /** Settings of a {@link HazelcastTaskRunner}, like the {@code cluster_kwargs} and {@code adapt_kwargs} of Dask. */
    public static final class Builder {
        private int workers = 2;
        private int threadsPerWorker = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        private Resources resources = Resources.NONE;
        private boolean gpuWorkers;
        private boolean adaptive;
        private int minimum;
        private int maximum;
        private Duration idle = Duration.ofSeconds(3);
        private List<String> jvmOptions = List.of();
        private String host = "127.0.0.1";
        private List<String> addresses = List.of();
        private String clusterName = "weft";
        private ClusterSecret secret;
        private Duration startTimeout = Duration.ofSeconds(60);
        private int sendAhead = 1024;
        private int expected = 1;
        private String joined;
        private SlurmJobs slurmJobs;

        private Builder() {}

        /**
         * How many calls per thread a worker may be sent at most beyond those it runs: they wait in its line,
         * higher priorities first, so that a thread that ends a call starts the next without a round trip to
         * this JVM. The runner sends ahead about 20 ms of work per thread, by the
         * mean time the worker's calls ran so far: 4 calls at first and for calls of 5 ms or longer, up to this
         * many for short ones; 1024 by default, 0 for none. Calls that need resources are held back by
         * them as ever, and a call's timeout starts when it starts on the worker.
         *
         * @param perThread at least 0
         * @return this builder
         */
        public Builder sendAhead(int perThread) {
            if (perThread < 0) {
                throw new IllegalArgumentException(
                        "HazelcastTaskRunner sends at least 0 calls ahead, not " + perThread);
            }
            this.sendAhead = perThread;
            return this;
        }

        /**
         * How many worker JVMs the temporary cluster has, as Dask's {@code n_workers}.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder workers(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("HazelcastTaskRunner needs at least one worker, not " + count);
            }
            this.workers = count;
            return this;
        }

        /**
         * How many calls each worker of the temporary cluster runs at once, as Dask's {@code threads_per_worker}.
         *
         * @param count at least 1
         * @return this builder
         */
        public Builder threadsPerWorker(int count) {
            if (count < 1) {
                throw new IllegalArgumentException(
                        "HazelcastTaskRunner needs at least one thread per worker, not " + count);
            }
            this.threadsPerWorker = count;
            return this;
        }

        /**
         * The resources each worker of the temporary cluster has, such as {@code GPU=1, process=1}, as Dask's
         * {@code resources}.
         *
         * @param amounts the amounts by name
         * @return this builder
         */
        public Builder resources(Map<String, ? extends Number> amounts) {
            this.resources = Resources.of(amounts);
            return this;
        }

        /**
         * Gives each worker of the temporary cluster a device of its own, as Dask-CUDA's {@code
         * LocalCUDACluster} gives each worker one GPU: the first worker declares {@code GPU=1} from the first of
         * the devices {@code GPU=auto} takes (the host's GPUs, or with none its CPU devices, or those {@code
         * WEFT_GPU_DEVICES} names), the second from the second, and so on; a worker beyond the number of
         * devices has none ({@code GPU=0}), and one that replaces a worker that left takes its device. So two
         * workers on this host never share a device, and a call that needs {@code GPU=1} reaches its own
         * through {@code dev.weft.gpu.Gpu.current()}. The {@link #resources resources} are added to each
         * worker's. Needs {@code dev.weft:weft-runner-gpu} on the class path.
         *
         * {@snippet :
         * HazelcastTaskRunner runner = HazelcastTaskRunner.builder()
         *         .workers(2) // one per device, on a host with two
         *         .gpuWorkers()
         *         .build();
         * }
         *
         * @return this builder
         */
        public Builder gpuWorkers() {
            this.gpuWorkers = true;
            return this;
        }

        /**
         * Grows and shrinks the temporary cluster between a minimum and a maximum number of workers, as Dask's
         * {@code adapt_kwargs}: workers are added while calls wait for a thread, and removed once idle, never
         * below the minimum and never with work on them.
         *
         * @param minimum at least 1: the cluster starts with that many
         * @param maximum at least the minimum
         * @return this builder
         */
        public Builder adapt(int minimum, int maximum) {
            if (minimum < 1 || maximum < minimum) {
                throw new IllegalArgumentException(
                        "HazelcastTaskRunner adapts between a minimum of at least 1 and a maximum of at least the minimum, not "
                                + minimum + " and " + maximum);
            }
            this.adaptive = true;
            this.minimum = minimum;
            this.maximum = maximum;
            return this;
        }

        /**
         * How long an adaptive cluster's worker idles before it is removed; 3 seconds by default.
         *
         * @param idle the time
         * @return this builder
         */
        public Builder idleTimeout(Duration idle) {
            this.idle = Objects.requireNonNull(idle, "idle");
            return this;
        }

        /**
         * Options for the temporary cluster's worker JVMs, such as {@code -Xmx2g}.
         *
         * @param options the options
         * @return this builder
         */
        public Builder jvmOptions(String... options) {
            this.jvmOptions = List.of(options);
            return this;
        }

        /**
         * The interface the temporary cluster's workers bind, an IP address; {@code 127.0.0.1} by default.
         *
         * @param host the address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Joins an existing cluster of Weft workers ({@code weft worker}) instead of creating one: the
         * addresses of some of its members, {@code host:port} each.
         *
         * @param addresses the addresses
         * @return this builder
         * @throws IllegalArgumentException if one is not {@code host:port}
         */
        public Builder address(String... addresses) {
            List<String> checked = new ArrayList<>();
            for (String a : addresses) {
                InetSocketAddress at = parseAddress(a);
                checked.add(at.getHostString() + ":" + at.getPort());
            }
            this.addresses = List.copyOf(checked);
            return this;
        }

        /**
         * Joins the workers of the SLURM job this process runs in, as {@code srun weft worker --slurm} starts
         * them: on the job's nodes, in cluster {@code slurm-<job id>}, with the secret from {@value
         * ClusterSecret#ENVIRONMENT} unless {@link #secret} gives it. Starting waits for one worker per task
         * of the job ({@code SLURM_NTASKS}); once the start timeout has passed it goes on with those it has,
         * if any.
         *
         * @param job the allocation, {@link SlurmAllocation#current()}
         * @param basePort the workers' base port, as given to them ({@value SlurmAllocation#DEFAULT_BASE_PORT}
         *     by default)
         * @param networkInterface the interface the workers listen on, such as {@code ib0}, or null
         * @return this builder
         */
        public Builder slurm(SlurmAllocation job, int basePort, String networkInterface) {
            String own;
            try {
                own = job.bindAddress(networkInterface);
            } catch (IllegalArgumentException e) {
                own = null; // this node is found by its name, as the others are
            }
            this.addresses = job.members(basePort, own);
            this.clusterName = job.clusterName();
            this.expected = job.tasks();
            this.joined = job.toString();
            return this;
        }

        /**
         * Makes the cluster of SLURM jobs submitted from here (a login node), one worker each, instead of
         * worker JVMs on this host: see {@link SlurmJobs}. The jobs are cancelled when the flow run ends.
         *
         * @param jobs the jobs' settings
         * @return this builder
         */
        public Builder slurmJobs(SlurmJobs jobs) {
            this.slurmJobs = Objects.requireNonNull(jobs, "jobs");
            return this;
        }

        /**
         * Joins the workers of the SLURM job this process runs in, at the default base port: {@link
         * #slurm(SlurmAllocation, int, String)}.
         *
         * @return this builder
         * @throws IllegalStateException if this process is not in a SLURM job
         */
        public Builder slurm() {
            return slurm(SlurmAllocation.current(), SlurmAllocation.DEFAULT_BASE_PORT, null);
        }

        /**
         * The name of the existing cluster to join; {@code weft} by default, as {@code weft worker}'s.
         *
         * @param name the cluster's name
         * @return this builder
         */
        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The existing cluster's secret; by default read from {@value ClusterSecret#ENVIRONMENT}.
         *
         * @param secret the secret
         * @return this builder
         */
        public Builder secret(ClusterSecret secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /**
         * How long starting may take (the temporary cluster's JVMs, or finding workers at the address), and
         * how long calls wait for a lost cluster's workers to come back; 60 seconds by default.
         *
         * @param timeout the time
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Makes the runner.
         *
         * @return the runner, not started: each flow run starts its own copy
         */
        public HazelcastTaskRunner build() {
            if (addresses.isEmpty() && Boolean.getBoolean(SLURM_PROPERTY)) {
                slurm(); // weft run --slurm: the temporary cluster is the job's
            }
            Builder copy = new Builder();
            copy.workers = workers;
            copy.threadsPerWorker = threadsPerWorker;
            copy.resources = resources;
            copy.gpuWorkers = gpuWorkers;
            copy.adaptive = adaptive;
            copy.minimum = minimum;
            copy.maximum = maximum;
            copy.idle = idle;
            copy.jvmOptions = jvmOptions;
            copy.host = host;
            copy.addresses = addresses;
            copy.clusterName = clusterName;
            copy.secret = secret;
            copy.startTimeout = startTimeout;
            copy.sendAhead = sendAhead;
            copy.expected = expected;
            copy.joined = joined;
            copy.slurmJobs = slurmJobs;
            return new HazelcastTaskRunner(copy);
        }
    }
}
