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
import org.slf4j.Logger;

/**
 * The hot-path counts of this process, in a memory-mapped file that {@code weft stat} and the dashboard
 * read from outside, live, without talking to the process: per task runner, the task runs submitted,
 * running, completed, failed, crashed and cancelled; per tag, the runs holding their slots and those
 * waiting for one. The file is {@code <pid>.counters} in {@link CountersLayout#directory()}, laid out as
 * Agrona's counters are, and deleted when the process exits; files of processes that are gone are deleted
 * by the next process that opens its own.
 *
 * <p>Design notes. A count is one atomic add on a long in the mapped file: no lock, no allocation. Each
 * count is split into stripes, one counter record (two cache lines) each; a thread adds to the stripe of
 * its id, so threads rarely share a line, and readers add the stripes up. Counter records are allocated
 * once per runner name and per tag, never per run. The setting {@code weft.counters} ({@code
 * WEFT_COUNTERS}) {@code off} turns the counters off; a process that cannot create its file runs without
 * them, and says so once.
 */
public final class Counters {
    /** The system property that turns the counters off. */
    public static final String PROPERTY = "weft.counters";

    /** Type ids: a runner's counts, then a tag's. The key holds the stripe and the runner's or tag's name. */
    public static final int SUBMITTED = 1;

    /** Type id of the runs running now. */
    public static final int RUNNING = 2;

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
    private final int stripes;
    private final ConcurrentHashMap<String, RunnerCounts> runners = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, TagCounts> tags = new ConcurrentHashMap<>();
    private int next;
    private boolean full;

    private Counters(Path file, MappedByteBuffer metadata, MappedByteBuffer values, int stripes) {
        this.file = file;
        this.metadata = metadata;
        this.values = values;
        this.stripes = stripes;
    }

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
        return create(dir);
    }

    private static Counters create(Path dir) throws IOException {
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
        // Enough stripes that the threads of a flow (its body, its runner's workers) rarely share one: two
        // threads adding to one cache line make each add wait for the line, which costs far more than the add.
        int cpus = Runtime.getRuntime().availableProcessors();
        int stripes = Math.min(64, Math.max(16, Integer.highestOneBit(2 * cpus - 1) << 1));
        return new Counters(file, metadata, values, stripes);
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

    /** One count, split into stripes that threads add to by their id. */
    static final class Count {
        private final java.nio.ByteBuffer values;
        private final int base;
        private final int mask;

        private Count(Counters counters, int typeId, String name, String label) {
            int id = counters.allocate(typeId, name, label);
            this.values = id < 0 ? null : counters.values;
            this.base = Math.max(id, 0) * COUNTER_LENGTH;
            this.mask = counters.stripes - 1;
        }

        void add(long delta) {
            java.nio.ByteBuffer v = values;
            if (v != null) {
                LONGS.getAndAdd(v, base + (stripe() & mask) * COUNTER_LENGTH, delta);
            }
        }

        /** The calling thread's stripe: its id, so that threads made one after another get stripes apart. */
        private static int stripe() {
            return (int) Thread.currentThread().threadId();
        }

        /** Sums the stripes, for tests. */
        long sum() {
            long total = 0;
            if (values != null) {
                for (int s = 0; s <= mask; s++) {
                    total += (long) LONGS.getVolatile(values, base + s * COUNTER_LENGTH);
                }
            }
            return total;
        }
    }

    /** A task runner's counts, shared by every flow run of this process that uses a runner of its name. */
    static final class RunnerCounts {
        final Count submitted;
        final Count running;
        final Count completed;
        final Count failed;
        final Count crashed;
        final Count cancelled;

        RunnerCounts(Counters c, String runner) {
            submitted = new Count(c, SUBMITTED, runner, "task runs submitted: " + runner);
            running = new Count(c, RUNNING, runner, "task runs running: " + runner);
            completed = new Count(c, COMPLETED, runner, "task runs completed: " + runner);
            failed = new Count(c, FAILED, runner, "task runs failed: " + runner);
            crashed = new Count(c, CRASHED, runner, "task runs crashed: " + runner);
            cancelled = new Count(c, CANCELLED, runner, "task runs cancelled: " + runner);
        }

        /** A run moved from one state to another. */
        void moved(StateType from, StateType to) {
            if (to == StateType.RUNNING) {
                running.add(1);
                return;
            }
            if (from == StateType.RUNNING) {
                running.add(-1);
            }
            switch (to) {
                case COMPLETED -> completed.add(1);
                case FAILED -> failed.add(1);
                case CRASHED -> crashed.add(1);
                case CANCELLED -> cancelled.add(1);
                default -> {}
            }
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
        return "Counters(" + file + ", " + stripes + " stripes, " + Arrays.asList(runners.keySet()) + ")";
    }
}
