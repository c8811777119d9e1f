package dev.weft.internal;

import static dev.weft.internal.CountersLayout.COMMAND_LENGTH_OFFSET;
import static dev.weft.internal.CountersLayout.COMMAND_OFFSET;
import static dev.weft.internal.CountersLayout.COUNTER_LENGTH;
import static dev.weft.internal.CountersLayout.FREE_FOR_REUSE_DEADLINE_OFFSET;
import static dev.weft.internal.CountersLayout.HEADER_LENGTH;
import static dev.weft.internal.CountersLayout.INTS;
import static dev.weft.internal.CountersLayout.KEY_OFFSET;
import static dev.weft.internal.CountersLayout.LABEL_OFFSET;
import static dev.weft.internal.CountersLayout.LONGS;
import static dev.weft.internal.CountersLayout.MAX_COMMAND_LENGTH;
import static dev.weft.internal.CountersLayout.MAX_KEY_LENGTH;
import static dev.weft.internal.CountersLayout.MAX_LABEL_LENGTH;
import static dev.weft.internal.CountersLayout.METADATA_LENGTH;
import static dev.weft.internal.CountersLayout.NOT_FREE_TO_REUSE;
import static dev.weft.internal.CountersLayout.RECORD_ALLOCATED;

import dev.weft.StateType;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;

/**
 * The hot-path counts of this process, in a memory-mapped file that {@code weft stat} and the dashboard
 * read from outside, live, without talking to the process: per task runner, the task runs submitted,
 * running, completed, failed, crashed and cancelled; per tag, the runs holding their slots and those
 * waiting for one. The file is {@code <pid>.counters} in {@link CountersLayout#directory()}, laid out as
 * Agrona's counters are, and deleted when the process exits; files of processes that are gone are deleted
 * by the next process that opens its own.
 *
 * <p>Design notes. Each count is split into stripes, one counter record (two cache lines) each, and readers
 * add the stripes up. A platform thread, such as a fork-join worker or a flow's body, takes the owned stripe
 * its id picks on its first count and keeps it while it lives: only it writes there, so a count is a plain
 * add and an ordered store, with no atomic instruction, no lock and no allocation. A stripe of a thread that
 * has ended goes to the next thread that picks it. Virtual threads, many and short-lived, and platform
 * threads whose stripe a live thread has, share the other stripes, by thread id, with an atomic add. Counter
 * records are allocated once per runner name and per tag, never per run. The setting {@code weft.counters} ({@code
 * WEFT_COUNTERS}) {@code off} turns the counters off; a process that cannot create its file runs without
 * them, and says so once.
 */
public final class Counters {
    /** The system property that turns the counters off. */
    public static final String PROPERTY = "weft.counters";

    /**
     * Type ids: a runner's counts, then a tag's. The key holds the stripe and the runner's or tag's name. Type
     * 2, the runs running as one count, was version 1's.
     */
    public static final int SUBMITTED = 1;

    /**
     * Type id of the times runs started: entered {@code RUNNING}. The runs running now are this, less
     * {@link #STOPPED}, less the runs that ended after they started (the ends, less {@link #ENDED_UNSTARTED}):
     * so that a run that starts and ends makes two adds, not three.
     */
    public static final int STARTED = 7;

    /** Type id of the times runs left {@code RUNNING} for a state that is not final (a retry, a loss). */
    public static final int STOPPED = 8;

    /** Type id of the runs that ended without running at the time (cancelled or crashed while waiting). */
    public static final int ENDED_UNSTARTED = 9;

    /** Type id of the runs completed. */
    public static final int COMPLETED = 3;

    /** Type id of the runs failed. */
    public static final int FAILED = 4;

    /** Type id of the runs crashed. */
    public static final int CRASHED = 5;

    /** Type id of the runs cancelled. */
    public static final int CANCELLED = 6;

    /** Type id of the runs holding their slots, per tag. */
    public static final int SLOTS_HELD = 11;

    /** Type id of the runs waiting for a slot, per tag. */
    public static final int SLOTS_WAITING = 12;

    /** How many counter records the file has room for. */
    static final int CAPACITY = 16384;

    private static final Logger LOG = Logs.get("dev.weft.counters");
    private static final Object LOCK = new Object();
    private static volatile Counters instance;
    private static volatile boolean unavailable;

    private final Path file;
    private final MappedByteBuffer metadata;
    private final MappedByteBuffer values;
    /** Stripes per count: the owned ones, then the shared ones. */
    private final int stripes;

    /**
     * How many of a count's stripes are owned by one platform thread each, a power of two: the first of its
     * stripes.
     */
    private final int owned;

    /** The thread that owns each owned stripe; null, or a thread that ended, where it is free. */
    private final AtomicReferenceArray<Thread> owners;

    private final ConcurrentHashMap<String, RunnerCounts> runners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TagCounts> tags = new ConcurrentHashMap<>();
    private int next;
    private boolean full;

    private Counters(Path file, MappedByteBuffer metadata, MappedByteBuffer values, int owned) {
        this.file = file;
        this.metadata = metadata;
        this.values = values;
        this.owned = owned;
        this.stripes = owned + SHARED_STRIPES;
        this.owners = new AtomicReferenceArray<>(owned);
    }

    /** Stripes per count that threads without an owned one add to atomically, by thread id. */
    static final int SHARED_STRIPES = 8;

    /**
     * Returns this process's counters, creating the file on first use; null if they are off or the file
     * cannot be made.
     *
     * @return the counters, or null
     */
    public static Counters get() {
        Counters c = instance;
        if (c != null || unavailable) {
            return c;
        }
        synchronized (LOCK) {
            if (instance == null && !unavailable) {
                String set = System.getProperty(PROPERTY, System.getenv("WEFT_COUNTERS"));
                if (set != null && set.strip().toLowerCase(Locale.ROOT).equals("off")) {
                    unavailable = true;
                    return null;
                }
                try {
                    instance = create(CountersLayout.directory());
                } catch (IOException | RuntimeException e) {
                    unavailable = true;
                    LOG.warn(
                            "Weft runs without its counters file (weft stat will not see this process): {}",
                            e.toString());
                }
            }
            return instance;
        }
    }

    /** Returns the counts of a runner, by its name; null once the file is full. */
    RunnerCounts runner(String name) {
        RunnerCounts r = runners.get(name);
        return r != null ? r : runners.computeIfAbsent(name, n -> new RunnerCounts(this, n));
    }

    /** Returns the counts of a tag; null once the file is full. */
    TagCounts tag(String name) {
        TagCounts t = tags.get(name);
        return t != null ? t : tags.computeIfAbsent(name, n -> new TagCounts(this, n));
    }

    /**
     * Returns the file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }

    /** Opens a counters file of this process in {@code dir}, apart from the process's own: for tests. */
    static Counters openIn(Path dir) throws IOException {
        return create(dir, ownedStripes());
    }

    /** Opens a counters file in {@code dir} whose counts have {@code owned} owned stripes, a power of two: for tests. */
    static Counters openIn(Path dir, int owned) throws IOException {
        return create(dir, owned);
    }

    /**
     * Enough owned stripes for the platform threads that count in most processes: a flow's body, its
     * runner's workers and their spare threads, a few more.
     */
    private static int ownedStripes() {
        int cpus = Runtime.getRuntime().availableProcessors();
        return Math.min(64, Math.max(16, Integer.highestOneBit(2 * cpus - 1) << 1));
    }

    private static Counters create(Path dir) throws IOException {
        return create(dir, ownedStripes());
    }

    private static Counters create(Path dir, int owned) throws IOException {
        Files.createDirectories(dir);
        sweep(dir);
        long pid = ProcessHandle.current().pid();
        Path file = dir.resolve(pid + CountersLayout.SUFFIX);
        Path making = dir.resolve(pid + CountersLayout.SUFFIX + ".new");
        int metadataLength = CAPACITY * METADATA_LENGTH;
        int valuesLength = CAPACITY * COUNTER_LENGTH;
        MappedByteBuffer header;
        MappedByteBuffer metadata;
        MappedByteBuffer values;
        try (FileChannel channel = FileChannel.open(
                making,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            header = channel.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_LENGTH);
            metadata = channel.map(FileChannel.MapMode.READ_WRITE, HEADER_LENGTH, metadataLength);
            values = channel.map(FileChannel.MapMode.READ_WRITE, (long) HEADER_LENGTH + metadataLength, valuesLength);
        }
        header.order(ByteOrder.nativeOrder());
        metadata.order(ByteOrder.nativeOrder());
        values.order(ByteOrder.nativeOrder());
        header.putInt(4, CountersLayout.VERSION);
        header.putLong(CountersLayout.PID_OFFSET, pid);
        header.putLong(
                CountersLayout.START_OFFSET,
                ProcessHandle.current()
                        .info()
                        .startInstant()
                        .map(java.time.Instant::toEpochMilli)
                        .orElse(System.currentTimeMillis()));
        header.putInt(CountersLayout.METADATA_OFFSET_OFFSET, HEADER_LENGTH);
        header.putInt(CountersLayout.METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(CountersLayout.VALUES_OFFSET_OFFSET, HEADER_LENGTH + metadataLength);
        header.putInt(CountersLayout.VALUES_LENGTH_OFFSET, valuesLength);
        byte[] command = command().getBytes(StandardCharsets.UTF_8);
        int length = Math.min(command.length, MAX_COMMAND_LENGTH);
        header.put(COMMAND_OFFSET, command, 0, length);
        header.putInt(COMMAND_LENGTH_OFFSET, length);
        INTS.setRelease(header, 0, CountersLayout.MAGIC); // last: a reader that sees it sees the rest
        Files.move(making, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        file.toFile().deleteOnExit();
        return new Counters(file, metadata, values, owned);
    }

    /** Deletes the files of processes that are gone. */
    private static void sweep(Path dir) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + CountersLayout.SUFFIX + "*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                int dot = name.indexOf('.');
                try {
                    long pid = Long.parseLong(name.substring(0, dot));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        Files.deleteIfExists(f);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not a counters file, or gone meanwhile
                }
            }
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    private static String command() {
        String command = System.getProperty("sun.java.command", "");
        int space = command.indexOf(' ');
        String main = space < 0 ? command : command.substring(0, space);
        return main.isEmpty() ? "java" : main;
    }

    /**
     * Allocates one count of {@link #stripes} records: its base counter id, or -1 once the file is full.
     */
    private int allocate(int typeId, String name, String label) {
        synchronized (this) {
            if (next + stripes > CAPACITY) {
                if (!full) {
                    full = true;
                    LOG.warn("Weft's counters file is full: later runners and tags are not counted ({})", label);
                }
                return -1;
            }
            int base = next;
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            int nameLength = Math.min(nameBytes.length, MAX_KEY_LENGTH - 8);
            byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
            int labelLength = Math.min(labelBytes.length, MAX_LABEL_LENGTH);
            for (int s = 0; s < stripes; s++) {
                int record = (base + s) * METADATA_LENGTH;
                metadata.putInt(record + CountersLayout.TYPE_ID_OFFSET, typeId);
                metadata.putLong(record + FREE_FOR_REUSE_DEADLINE_OFFSET, NOT_FREE_TO_REUSE);
                metadata.putInt(record + KEY_OFFSET, s); // the key: stripe, name length, name
                metadata.putInt(record + KEY_OFFSET + 4, nameLength);
                metadata.put(record + KEY_OFFSET + 8, nameBytes, 0, nameLength);
                metadata.put(record + LABEL_OFFSET + 4, labelBytes, 0, labelLength);
                metadata.putInt(record + LABEL_OFFSET, labelLength);
                INTS.setRelease(metadata, record, RECORD_ALLOCATED);
            }
            next += stripes;
            return base;
        }
    }

    /**
     * The calling platform thread's owned stripe: the one its id picks, taken on its first count if no live
     * thread has it; -1 for a virtual thread, or where a live thread has it. Threads made one after another
     * (a runner's workers) get ids, so stripes, apart. Seeing a stripe's last owner ended ({@link
     * Thread#isAlive()}) orders that thread's last store to it before this thread's first read of it, so no
     * count it made is lost.
     */
    int ownedStripe() {
        Thread me = Thread.currentThread();
        if (me instanceof PoolThread pool && pool.counters == this) {
            return pool.stripe; // its own since it first counted, as long as it lives
        }
        if (me.isVirtual()) {
            return -1;
        }
        int stripe = (int) me.threadId() & (owned - 1);
        Thread owner = owners.get(stripe);
        if (owner == me || (owner == null || !owner.isAlive()) && owners.compareAndSet(stripe, owner, me)) {
            if (me instanceof PoolThread pool) {
                pool.stripe = stripe;
                pool.counters = this;
            }
            return stripe;
        }
        return -1;
    }

    /** One count, split into stripes: a platform thread's own, and shared ones that threads add to by id. */
    static final class Count {
        private final Counters counters;
        private final java.nio.ByteBuffer values;
        private final int base;

        private Count(Counters counters, int typeId, String name, String label) {
            int id = counters.allocate(typeId, name, label);
            this.counters = counters;
            this.values = id < 0 ? null : counters.values;
            this.base = Math.max(id, 0) * COUNTER_LENGTH;
        }

        void add(long delta) {
            java.nio.ByteBuffer v = values;
            if (v == null) {
                return;
            }
            int own = counters.ownedStripe();
            if (own >= 0) { // only this thread writes there: a plain add, stored in order for readers
                int at = base + own * COUNTER_LENGTH;
                LONGS.setRelease(v, at, (long) LONGS.get(v, at) + delta);
            } else {
                int shared = counters.owned + (int) (Thread.currentThread().threadId() & (SHARED_STRIPES - 1));
                LONGS.getAndAdd(v, base + shared * COUNTER_LENGTH, delta);
            }
        }

        /** Sums the stripes, for tests. */
        long sum() {
            long total = 0;
            if (values != null) {
                for (int s = 0; s < counters.stripes; s++) {
                    total += (long) LONGS.getVolatile(values, base + s * COUNTER_LENGTH);
                }
            }
            return total;
        }
    }

    /** A task runner's counts, shared by every flow run of this process that uses a runner of its name. */
    static final class RunnerCounts {
        final Count submitted;
        final Count started;
        final Count stopped;
        final Count endedUnstarted;
        final Count completed;
        final Count failed;
        final Count crashed;
        final Count cancelled;

        RunnerCounts(Counters c, String runner) {
            // In this order in the file, which readers read in order: the ends before the starts, so that a run
            // that ends while a reader reads is not taken off the runs running before its start is counted.
            submitted = new Count(c, SUBMITTED, runner, "task runs submitted: " + runner);
            completed = new Count(c, COMPLETED, runner, "task runs completed: " + runner);
            failed = new Count(c, FAILED, runner, "task runs failed: " + runner);
            crashed = new Count(c, CRASHED, runner, "task runs crashed: " + runner);
            cancelled = new Count(c, CANCELLED, runner, "task runs cancelled: " + runner);
            endedUnstarted = new Count(c, ENDED_UNSTARTED, runner, "task runs ended unstarted: " + runner);
            stopped = new Count(c, STOPPED, runner, "task runs stopped to run again: " + runner);
            started = new Count(c, STARTED, runner, "task runs started: " + runner);
        }

        /** A run moved from one state to another: one add, and a second only on the rare moves. */
        void moved(StateType from, StateType to) {
            Count end =
                    switch (to) {
                        case RUNNING -> started;
                        case COMPLETED -> completed;
                        case FAILED -> failed;
                        case CRASHED -> crashed;
                        case CANCELLED -> cancelled;
                        default -> from == StateType.RUNNING ? stopped : null;
                    };
            if (end == null) {
                return;
            }
            end.add(1);
            if (to.isFinal() && from != StateType.RUNNING) {
                endedUnstarted.add(1);
            }
        }

        /** The runs running now, for tests: as a reader of the file works it out. */
        long running() {
            long ended = completed.sum() + failed.sum() + crashed.sum() + cancelled.sum() - endedUnstarted.sum();
            return started.sum() - stopped.sum() - ended;
        }
    }

    /** A tag's counts: the runs holding their slots, and those waiting for one on it. */
    static final class TagCounts {
        final Count held;
        final Count waiting;

        TagCounts(Counters c, String tag) {
            held = new Count(c, SLOTS_HELD, tag, "slots held: " + tag);
            waiting = new Count(c, SLOTS_WAITING, tag, "slots waited for: " + tag);
        }
    }

    @Override
    public String toString() {
        return "Counters(" + file + ", " + owned + " owned and " + SHARED_STRIPES + " shared stripes, "
                + Arrays.asList(runners.keySet()) + ")";
    }
}
