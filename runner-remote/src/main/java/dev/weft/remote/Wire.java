package dev.weft.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The bytes that travel between a runner and its workers, besides the calls' own ({@code CallEnvelope}): a
 * batch of calls one way, a batch of events (a call started, a call ended) the other. Each batch is signed
 * as a whole with the cluster secret, and read only once its signature checks.
 */
final class Wire {
    private static final String EVENTS = "weft-events";

    static final byte STARTED = 0;
    static final byte ENDED = 1;
    /** A call cancelled before it started: it never runs there, and what it holds is free. */
    static final byte DROPPED = 2;

    private Wire() {}

    /** The key of a call whose function travels with it, rather than once for all the calls of its task. */
    static final int INLINE = -1;

    /**
     * A call as a worker takes it: who sent it, its function's key (and, for {@link #INLINE}, the function's
     * bytes), where it stands in line, what it holds, and its arguments ({@code CallEnvelope.arguments}).
     */
    record Job(
            UUID id,
            int function,
            byte[] inline,
            int priority,
            String[] resourceNames,
            double[] amounts,
            byte[] arguments) {}

    /**
     * Something a worker tells the runner about a call: it started, or it ended with this reply, after
     * running for {@code ranNanos}.
     */
    record Event(byte kind, UUID id, byte[] out, byte[] err, byte[] outcome, long ranNanos) {
        static Event started(UUID id) {
            return new Event(STARTED, id, null, null, null, 0);
        }

        static Event dropped(UUID id) {
            return new Event(DROPPED, id, null, null, null, 0);
        }
    }

    /** What a batch holds: the functions sent in it for the first time, by key, and its calls. */
    record Calls(Map<Integer, byte[]> functions, List<Job> jobs) {}

    static byte[] jobs(Map<Integer, byte[]> functions, List<Job> jobs) {
        int size = 4 + 4;
        for (byte[] f : functions.values()) {
            size += 4 + 4 + f.length;
        }
        for (Job j : jobs) {
            size += 16 + 4 + (j.function() == INLINE ? 4 + j.inline().length : 0) + 4 + 4 + 4 + j.arguments().length;
            for (String name : j.resourceNames()) {
                size += 4 + name.getBytes(StandardCharsets.UTF_8).length + 8;
            }
        }
        return write(size, out -> {
            out.writeInt(functions.size());
            for (Map.Entry<Integer, byte[]> f : functions.entrySet()) {
                out.writeInt(f.getKey());
                bytes(out, f.getValue());
            }
            out.writeInt(jobs.size());
            for (Job j : jobs) {
                uuid(out, j.id());
                out.writeInt(j.function());
                if (j.function() == INLINE) {
                    bytes(out, j.inline());
                }
                out.writeInt(j.priority());
                out.writeInt(j.resourceNames().length);
                for (int i = 0; i < j.resourceNames().length; i++) {
                    out.writeUTF(j.resourceNames()[i]);
                    out.writeDouble(j.amounts()[i]);
                }
                bytes(out, j.arguments());
            }
        });
    }

    static Calls readJobs(byte[] body) {
        return read(body, in -> {
            int f = in.readInt();
            Map<Integer, byte[]> functions = new HashMap<>();
            for (int k = 0; k < f; k++) {
                int key = in.readInt();
                functions.put(key, bytes(in));
            }
            int n = in.readInt();
            List<Job> jobs = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                UUID id = uuid(in);
                int function = in.readInt();
                byte[] inline = function == INLINE ? bytes(in) : null;
                int priority = in.readInt();
                int r = in.readInt();
                String[] names = new String[r];
                double[] amounts = new double[r];
                for (int i = 0; i < r; i++) {
                    names[i] = in.readUTF();
                    amounts[i] = in.readDouble();
                }
                jobs.add(new Job(id, function, inline, priority, names, amounts, bytes(in)));
            }
            return new Calls(functions, jobs);
        });
    }

    /**
     * Returns a batch of events signed for a runner: the signature, then the events' bytes, written once
     * into the array that is sent.
     */
    static byte[] signedEvents(ClusterSecret secret, String runner, List<Event> events) {
        int size = ClusterSecret.SIGNATURE + 4;
        for (Event e : events) {
            size += 1 + 16;
            if (e.kind() == ENDED) {
                size += 4 + e.out().length + 4 + e.err().length + 4 + e.outcome().length + 8;
            }
        }
        Out out = new Out(size);
        out.skip(ClusterSecret.SIGNATURE);
        out.writeInt(events.size());
        for (Event e : events) {
            out.writeByte(e.kind());
            uuid(out, e.id());
            if (e.kind() == ENDED) {
                bytes(out, e.out());
                bytes(out, e.err());
                bytes(out, e.outcome());
                out.writeLong(e.ranNanos());
            }
        }
        byte[] signed = out.toByteArray();
        byte[] mac = secret.sign(
                EVENTS + "/" + runner, signed, ClusterSecret.SIGNATURE, signed.length - ClusterSecret.SIGNATURE);
        System.arraycopy(mac, 0, signed, 0, mac.length);
        return signed;
    }

    /**
     * Reads a batch of events from {@link #signedEvents}, if its signature checks.
     *
     * @throws SecurityException if it does not
     */
    static List<Event> openedEvents(ClusterSecret secret, String runner, byte[] signed, String worker) {
        int body = ClusterSecret.SIGNATURE;
        if (signed == null
                || signed.length < body
                || !MessageDigest.isEqual(
                        Arrays.copyOf(signed, body),
                        secret.sign(EVENTS + "/" + runner, signed, body, signed.length - body))) {
            throw new SecurityException(
                    "what worker '" + worker + "' sent is not signed with this cluster's secret; it was not read");
        }
        return read(signed, body, in -> {
            int n = in.readInt();
            List<Event> events = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                byte kind = in.readByte();
                UUID id = uuid(in);
                events.add(
                        kind == ENDED
                                ? new Event(kind, id, bytes(in), bytes(in), bytes(in), in.readLong())
                                : new Event(kind, id, null, null, null, 0));
            }
            return events;
        });
    }

    static byte[] ids(List<UUID> ids) {
        return write(out -> {
            out.writeInt(ids.size());
            for (UUID id : ids) {
                uuid(out, id);
            }
        });
    }

    static List<UUID> readIds(byte[] body) {
        return read(body, in -> {
            int n = in.readInt();
            List<UUID> ids = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                ids.add(uuid(in));
            }
            return ids;
        });
    }

    private interface Writer {
        void write(Out out);
    }

    private interface Reader<T> {
        T read(In in);
    }

    private static byte[] write(Writer writer) {
        return write(256, writer);
    }

    private static byte[] write(int size, Writer writer) {
        Out out = new Out(size);
        writer.write(out);
        return out.toByteArray();
    }

    private static <T> T read(byte[] body, Reader<T> reader) {
        return read(body, 0, reader);
    }

    private static <T> T read(byte[] bytes, int offset, Reader<T> reader) {
        try {
            return reader.read(new In(bytes, offset));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a malformed batch: " + e, e);
        }
    }

    private static void uuid(Out out, UUID id) {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID uuid(In in) {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void bytes(Out out, byte[] b) {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(In in) {
        int length = in.readInt();
        if (length == 0) {
            return EMPTY;
        }
        in.require(length);
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    private static final byte[] EMPTY = new byte[0];

    /** A growing array that numbers are written to, big-endian: the streams of java.io, without their locks. */
    private static final class Out {
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        private byte[] buf;
        private int size;

        /** An array of {@code capacity} bytes: written exactly full, it is the one sent, not a copy. */
        Out(int capacity) {
            buf = new byte[capacity];
        }

        void skip(int bytes) {
            room(bytes);
            size += bytes;
        }

        private void room(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(int b) {
            room(1);
            buf[size++] = (byte) b;
        }

        void writeInt(int v) {
            room(4);
            INT.set(buf, size, v);
            size += 4;
        }

        void writeLong(long v) {
            room(8);
            LONG.set(buf, size, v);
            size += 8;
        }

        void writeDouble(double v) {
            writeLong(Double.doubleToRawLongBits(v));
        }

        void write(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void writeUTF(String s) {
            bytes(this, s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    /** Reads what {@link Out} wrote; past the end, or a length longer than what is left, throws. */
    private static final class In {
        private final ByteBuffer buf;

        In(byte[] bytes, int offset) {
            buf = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
        }

        byte readByte() {
            return buf.get();
        }

        int readInt() {
            return buf.getInt();
        }

        long readLong() {
            return buf.getLong();
        }

        double readDouble() {
            return buf.getDouble();
        }

        void require(int length) {
            if (length < 0 || length > buf.remaining()) {
                throw new IllegalArgumentException(
                        "a length of " + length + " bytes, with " + buf.remaining() + " left");
            }
        }

        void readFully(byte[] b) {
            buf.get(b);
        }

        String readUTF() {
            int length = buf.getInt();
            require(length);
            String s = new String(buf.array(), buf.position(), length, StandardCharsets.UTF_8);
            buf.position(buf.position() + length);
            return s;
        }
    }
}
