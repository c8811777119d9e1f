package dev.weft.stat;

import dev.weft.internal.Counters;
import dev.weft.internal.CountersLayout;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The counts of one Weft process, read from its counters file without talking to it: per task runner, the
 * task runs submitted, running, completed, failed, crashed and cancelled since the process began; per tag,
 * the runs holding their slots and those waiting for one. What {@code weft stat} prints.
 *
 * @param pid the process's id
 * @param started when it started
 * @param command its main class, or {@code java}
 * @param file its counters file
 * @param counts its counts, in the order they were made
 */
public record ProcessCounters(long pid, Instant started, String command, Path file, List<Count> counts) {

    /** What a count is of. */
    public enum Kind {
        /** A task runner's count, by the runner's name. */
        RUNNER,
        /** A tag's count. */
        TAG
    }

    /**
     * One count.
     *
     * @param kind whether a runner's or a tag's
     * @param name the runner's or the tag's name
     * @param metric for a runner {@code submitted}, {@code running}, {@code completed}, {@code failed},
     *     {@code crashed} or {@code cancelled}; for a tag {@code held} or {@code waiting}
     * @param value the count now
     */
    public record Count(Kind kind, String name, String metric, long value) {}

    /**
     * Makes a process's counts.
     *
     * @param pid the process's id
     * @param started when it started
     * @param command its command
     * @param file its counters file
     * @param counts its counts
     */
    public ProcessCounters {
        counts = List.copyOf(counts);
    }

    /**
     * Returns one count, or 0 if the process has none such.
     *
     * @param name a runner's or a tag's name
     * @param metric the metric
     * @return the count
     */
    public long get(String name, String metric) {
        for (Count c : counts) {
            if (c.name().equals(name) && c.metric().equals(metric)) {
                return c.value();
            }
        }
        return 0;
    }

    /**
     * Returns the counts of one kind by name, each as metric to value, in the order they were made.
     *
     * @param kind runners or tags
     * @return the counts
     */
    public Map<String, Map<String, Long>> of(Kind kind) {
        Map<String, Map<String, Long>> by = new LinkedHashMap<>();
        for (Count c : counts) {
            if (c.kind() == kind) {
                by.computeIfAbsent(c.name(), n -> new LinkedHashMap<>()).put(c.metric(), c.value());
            }
        }
        return by;
    }

    /**
     * Returns the directory where Weft processes of this user keep their counters files: {@code
     * weft.counters.dir}, else {@code WEFT_COUNTERS_DIR}, else {@code /dev/shm/weft-USER}, else {@code
     * weft-USER} in the temporary directory.
     *
     * @return the directory
     */
    public static Path directory() {
        return CountersLayout.directory();
    }

    /**
     * Reads the counts of every live Weft process on this host, in {@link #directory()}.
     *
     * @return the processes, oldest first
     */
    public static List<ProcessCounters> readAll() {
        return readAll(directory());
    }

    /**
     * Reads the counts of every live Weft process whose counters file is in a directory. Files of processes
     * that are gone are skipped.
     *
     * @param directory the directory
     * @return the processes, oldest first
     */
    public static List<ProcessCounters> readAll(Path directory) {
        List<ProcessCounters> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + CountersLayout.SUFFIX)) {
            for (Path f : files) {
                read(f).ifPresent(found::add);
            }
        } catch (NoSuchFileException e) {
            return List.of(); // no Weft process has run here yet
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot list the counters files in " + directory, e);
        }
        found.sort(Comparator.comparing(ProcessCounters::started).thenComparingLong(ProcessCounters::pid));
        return found;
    }

    /**
     * Reads one counters file.
     *
     * @param file the file
     * @return its process's counts; empty if the file is not complete yet, not a counters file, or its
     *     process is gone
     */
    public static Optional<ProcessCounters> read(Path file) {
        MappedByteBuffer map;
        try (FileChannel channel = FileChannel.open(file)) {
            if (channel.size() < CountersLayout.HEADER_LENGTH) {
                return Optional.empty();
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (NoSuchFileException e) {
            return Optional.empty(); // its process ended meanwhile
        } catch (IOException e) {
            return Optional.empty();
        }
        map.order(ByteOrder.nativeOrder());
        if ((int) CountersLayout.INTS.getAcquire(map, 0) != CountersLayout.MAGIC
                || map.getInt(4) != CountersLayout.VERSION) {
            return Optional.empty();
        }
        long pid = map.getLong(CountersLayout.PID_OFFSET);
        if (ProcessHandle.of(pid).isEmpty()) {
            return Optional.empty();
        }
        Instant started = Instant.ofEpochMilli(map.getLong(CountersLayout.START_OFFSET));
        int commandLength =
                Math.min(map.getInt(CountersLayout.COMMAND_LENGTH_OFFSET), CountersLayout.MAX_COMMAND_LENGTH);
        byte[] command = new byte[commandLength];
        map.get(CountersLayout.COMMAND_OFFSET, command);
        int metadataOffset = map.getInt(CountersLayout.METADATA_OFFSET_OFFSET);
        int metadataLength = map.getInt(CountersLayout.METADATA_LENGTH_OFFSET);
        int valuesOffset = map.getInt(CountersLayout.VALUES_OFFSET_OFFSET);
        if ((long) valuesOffset + map.getInt(CountersLayout.VALUES_LENGTH_OFFSET) > map.capacity()) {
            return Optional.empty();
        }
        Map<String, Long> sums = new LinkedHashMap<>(); // by type and name: the stripes added up
        Map<String, Count> shapes = new LinkedHashMap<>();
        for (int record = 0, id = 0;
                record + CountersLayout.METADATA_LENGTH <= metadataLength;
                record += CountersLayout.METADATA_LENGTH, id++) {
            int at = metadataOffset + record;
            int state = (int) CountersLayout.INTS.getAcquire(map, at);
            if (state == CountersLayout.RECORD_UNUSED) {
                break;
            }
            if (state != CountersLayout.RECORD_ALLOCATED) {
                continue;
            }
            int type = map.getInt(at + CountersLayout.TYPE_ID_OFFSET);
            int nameLength =
                    Math.min(map.getInt(at + CountersLayout.KEY_OFFSET + 4), CountersLayout.MAX_KEY_LENGTH - 8);
            byte[] name = new byte[Math.max(0, nameLength)];
            map.get(at + CountersLayout.KEY_OFFSET + 8, name);
            Count shape = shape(type, new String(name, StandardCharsets.UTF_8));
            if (shape == null) {
                continue;
            }
            long value =
                    (long) CountersLayout.LONGS.getVolatile(map, valuesOffset + id * CountersLayout.COUNTER_LENGTH);
            String key = type + "/" + shape.name();
            shapes.putIfAbsent(key, shape);
            if (type == Counters.SUBMITTED) { // the runs running come next, whatever order their parts lie in
                shapes.putIfAbsent(Counters.STARTED + "/" + shape.name(), shape(Counters.STARTED, shape.name()));
            }
            sums.merge(key, value, Long::sum);
        }
        List<Count> counts = new ArrayList<>();
        shapes.forEach((key, shape) -> {
            if (shape.metric().equals("running")) {
                counts.add(new Count(Kind.RUNNER, shape.name(), "running", Math.max(0, running(sums, shape.name()))));
            } else if (!shape.metric().isEmpty()) {
                counts.add(new Count(shape.kind(), shape.name(), shape.metric(), Math.max(0, sums.get(key))));
            }
        });
        return Optional.of(
                new ProcessCounters(pid, started, new String(command, StandardCharsets.UTF_8), file, counts));
    }

    /**
     * The runs running now: the runs started, less those stopped to run again, less those that ended after
     * they started (see {@link Counters#STARTED}).
     */
    private static long running(Map<String, Long> sums, String runner) {
        long ended = 0;
        for (int type : new int[] {Counters.COMPLETED, Counters.FAILED, Counters.CRASHED, Counters.CANCELLED}) {
            ended += sums.getOrDefault(type + "/" + runner, 0L);
        }
        ended -= sums.getOrDefault(Counters.ENDED_UNSTARTED + "/" + runner, 0L);
        return sums.getOrDefault(Counters.STARTED + "/" + runner, 0L)
                - sums.getOrDefault(Counters.STOPPED + "/" + runner, 0L)
                - ended;
    }

    /** What a record counts; a metric of "" for the parts of a runner's runs running. */
    private static Count shape(int type, String name) {
        return switch (type) {
            case Counters.SUBMITTED -> new Count(Kind.RUNNER, name, "submitted", 0);
            case Counters.STARTED -> new Count(Kind.RUNNER, name, "running", 0);
            case Counters.STOPPED, Counters.ENDED_UNSTARTED -> new Count(Kind.RUNNER, name, "", 0);
            case Counters.COMPLETED -> new Count(Kind.RUNNER, name, "completed", 0);
            case Counters.FAILED -> new Count(Kind.RUNNER, name, "failed", 0);
            case Counters.CRASHED -> new Count(Kind.RUNNER, name, "crashed", 0);
            case Counters.CANCELLED -> new Count(Kind.RUNNER, name, "cancelled", 0);
            case Counters.SLOTS_HELD -> new Count(Kind.TAG, name, "held", 0);
            case Counters.SLOTS_WAITING -> new Count(Kind.TAG, name, "waiting", 0);
            default -> null; // a later version's count: not known here
        };
    }
}
