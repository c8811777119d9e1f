package dev.weft.store;

import dev.weft.StateType;
import dev.weft.spi.RunRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task runs of one flow run packed into bytes, many to a row of {@code weft_task_pack}: what the store
 * keeps of the task runs the engine writes, so that writing one costs a few dozen bytes of a row rather
 * than a row and an index entry of its own.
 *
 * <p>The format, version 1: a version byte, the number of runs, a table of the distinct strings (each its
 * UTF-8 length and bytes), then each run in turn. A run is a set of flags, its state's number ({@link
 * StateCodes}), its task (a string's index), its name, its end, its start, and its message, runner, worker
 * and tags where it has them. A name that ends in a number after a hyphen, as the engine's do ({@code
 * square-1a2b3c4d-17}), is the index of what comes before the number and the number itself; any other name
 * is a string's index. Times are microseconds since the epoch: a run's end is kept as the difference from
 * the run before's, its start as the difference from its own end. Numbers are unsigned LEB128 varints,
 * differences zig-zag encoded first.
 *
 * <p>Not safe for use by many threads: one instance packs at a time, on the history's writer.
 */
final class TaskPacks {
    /** The most runs one pack holds. */
    static final int MOST = 4096;

    private static final int VERSION = 1;

    private static final int STARTED = 1;
    private static final int ENDED = 1 << 1;
    private static final int MESSAGE = 1 << 2;
    private static final int RUNNER = 1 << 3;
    private static final int WORKER = 1 << 4;
    private static final int TAGS = 1 << 5;
    private static final int NUMBERED = 1 << 6;

    /** The most digits a name's number may have and still be kept as a number. */
    private static final int MOST_DIGITS = 18;

    /**
     * A pack ready to be written.
     *
     * @param runs how many runs it holds
     * @param counts its runs counted by state number
     * @param startedMin the earliest start, in microseconds since the epoch, or null if none started
     * @param endedMax the latest end, in microseconds since the epoch; 0 if none ended
     * @param data the bytes
     */
    record Pack(int runs, int[] counts, Long startedMin, long endedMax, byte[] data) {}

    private final Bytes body = new Bytes(1 << 16);
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> strings = new ArrayList<>();
    private String lastPrefix = "";
    private int lastPrefixIndex = -1;

    /**
     * Packs the task runs {@code from} (inclusive) to {@code to} (exclusive) of a list, all of one flow run.
     *
     * @param runs the task runs' records
     * @param from the first
     * @param to past the last
     * @return the pack
     */
    Pack pack(List<RunRecord> runs, int from, int to) {
        body.clear();
        index.clear();
        strings.clear();
        lastPrefix = "";
        lastPrefixIndex = -1;
        int[] counts = new int[8];
        long startedMin = Long.MAX_VALUE;
        long endedMax = 0;
        long previousEnd = 0;
        for (int i = from; i < to; i++) {
            RunRecord r = runs.get(i);
            int code = StateCodes.code(r.state());
            counts[code]++;
            long number = number(r.name());
            List<String> tags = r.tags();
            int flags = (r.started() != null ? STARTED : 0)
                    | (r.ended() != null ? ENDED : 0)
                    | (r.message() != null ? MESSAGE : 0)
                    | (r.runner() != null ? RUNNER : 0)
                    | (r.worker() != null ? WORKER : 0)
                    | (!tags.isEmpty() ? TAGS : 0)
                    | (number >= 0 ? NUMBERED : 0);
            body.varint(flags);
            body.varint(code);
            body.varint(ref(r.label()));
            if (number >= 0) {
                body.varint(lastPrefixIndex);
                body.varint(number);
            } else {
                body.varint(ref(r.name()));
            }
            long end = previousEnd;
            if (r.ended() != null) {
                end = HistoryTables.micros(r.ended());
                body.signed(end - previousEnd);
                previousEnd = end;
                endedMax = Math.max(endedMax, end);
            }
            if (r.started() != null) {
                long start = HistoryTables.micros(r.started());
                body.signed(end - start);
                startedMin = Math.min(startedMin, start);
            }
            if (r.message() != null) {
                body.varint(ref(r.message()));
            }
            if (r.runner() != null) {
                body.varint(ref(r.runner()));
            }
            if (r.worker() != null) {
                body.varint(ref(r.worker()));
            }
            if (!tags.isEmpty()) {
                body.varint(tags.size());
                for (String tag : tags) {
                    body.varint(ref(tag));
                }
            }
        }
        Bytes all = new Bytes(body.size + 16 + strings.size() * 24);
        all.varint(VERSION);
        all.varint(to - from);
        all.varint(strings.size());
        for (String s : strings) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            all.varint(utf8.length);
            all.put(utf8, 0, utf8.length);
        }
        all.put(body.bytes, 0, body.size);
        return new Pack(
                to - from,
                counts,
                startedMin == Long.MAX_VALUE ? null : startedMin,
                endedMax,
                Arrays.copyOf(all.bytes, all.size));
    }

    /** The index of a string in the pack's table, added if it is new. */
    private int ref(String s) {
        Integer at = index.get(s);
        if (at == null) {
            at = strings.size();
            strings.add(s);
            index.put(s, at);
        }
        return at;
    }

    /**
     * The number a name ends in after its last hyphen, with what comes before (the hyphen included) as
     * {@link #lastPrefixIndex}; -1 if the name does not end so, or the number would not read back as the
     * same digits.
     */
    private long number(String name) {
        int kept = lastPrefix.length();
        if (kept > 0 && name.length() > kept && name.startsWith(lastPrefix)) {
            long n = digits(name, kept);
            if (n >= 0) {
                return n;
            }
        }
        int cut = name.lastIndexOf('-') + 1;
        long n = cut > 0 ? digits(name, cut) : -1;
        if (n >= 0) {
            lastPrefix = name.substring(0, cut);
            lastPrefixIndex = ref(lastPrefix);
        }
        return n;
    }

    /** The number that {@code name} holds from {@code cut} to its end, written as a number writes itself; else -1. */
    private static long digits(String name, int cut) {
        int digits = name.length() - cut;
        if (digits == 0 || digits > MOST_DIGITS || (digits > 1 && name.charAt(cut) == '0')) {
            return -1;
        }
        long n = 0;
        for (int i = cut; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }

    /**
     * Reads a pack's runs back, in the order they were packed.
     *
     * @param flowRunId the flow run they belong to
     * @param data the pack's bytes
     * @return their records
     * @throws IllegalArgumentException if the bytes are not a pack this version reads
     */
    static List<RunRecord> unpack(String flowRunId, byte[] data) {
        Reader in = new Reader(data);
        int version = (int) in.varint();
        if (version != VERSION) {
            throw new IllegalArgumentException("a task run pack of version " + version + ", which this Weft does"
                    + " not read: a newer Weft wrote it");
        }
        int n = (int) in.varint();
        String[] table = new String[(int) in.varint()];
        for (int i = 0; i < table.length; i++) {
            int length = (int) in.varint();
            table[i] = new String(data, in.at, length, StandardCharsets.UTF_8);
            in.at += length;
        }
        List<RunRecord> runs = new ArrayList<>(n);
        long previousEnd = 0;
        for (int i = 0; i < n; i++) {
            int flags = (int) in.varint();
            StateType state = StateCodes.state((int) in.varint());
            String label = table[(int) in.varint()];
            String name = (flags & NUMBERED) != 0 ? table[(int) in.varint()] + in.varint() : table[(int) in.varint()];
            Instant ended = null;
            long end = previousEnd;
            if ((flags & ENDED) != 0) {
                end = previousEnd + in.signed();
                previousEnd = end;
                ended = HistoryTables.instant(end);
            }
            Instant started = (flags & STARTED) != 0 ? HistoryTables.instant(end - in.signed()) : null;
            String message = (flags & MESSAGE) != 0 ? table[(int) in.varint()] : null;
            String runner = (flags & RUNNER) != 0 ? table[(int) in.varint()] : null;
            String worker = (flags & WORKER) != 0 ? table[(int) in.varint()] : null;
            List<String> tags = List.of();
            if ((flags & TAGS) != 0) {
                String[] t = new String[(int) in.varint()];
                for (int j = 0; j < t.length; j++) {
                    t[j] = table[(int) in.varint()];
                }
                tags = List.of(t);
            }
            runs.add(new RunRecord(
                    RunRecord.Kind.TASK,
                    flowRunId,
                    null,
                    name,
                    label,
                    state,
                    message,
                    started,
                    ended,
                    runner,
                    worker,
                    tags,
                    null));
        }
        return runs;
    }

    /** A growable array of bytes. */
    private static final class Bytes {
        byte[] bytes;
        int size;

        Bytes(int capacity) {
            bytes = new byte[capacity];
        }

        void clear() {
            size = 0;
        }

        void varint(long v) {
            if (size + 10 > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + 10));
            }
            while ((v & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
        }

        void signed(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void put(byte[] b, int from, int length) {
            if (size + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + length));
            }
            System.arraycopy(b, from, bytes, size, length);
            size += length;
        }
    }

    /** Reads varints from a pack's bytes. */
    private static final class Reader {
        final byte[] bytes;
        int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= bytes.length) {
                    throw new IllegalArgumentException("a task run pack that ends too soon");
                }
                byte b = bytes[at++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("a task run pack with a number too long");
        }

        long signed() {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }
    }
}
