package dev.weft.runner;

import dev.weft.TaskRunner;
import dev.weft.internal.Engine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A call as bytes, for a runner whose calls leave this JVM: {@link #request} makes the bytes to send,
 * {@link #execute} runs them on the worker (a JVM with the same class path) and makes the outcome's bytes,
 * and {@link #deliver} ends the call with that outcome back home.
 *
 * {@snippet :
 * byte[] request = CallEnvelope.request(call);          // here; throws UnserializableException
 * byte[] outcome = CallEnvelope.execute(request);       // on the worker; never throws
 * CallEnvelope.deliver(outcome, call);                  // here: COMPLETED, FAILED or CRASHED
 * }
 *
 * <p>A runner that sends many calls of one task to one worker can send the function once: {@link
 * #functionBytes} and {@link #arguments} are the two halves of a request, {@link #function(byte[])} reads
 * the first on the worker once, and {@link #execute(Function, byte[])} runs each call's second half with it.
 *
 * <p>Whatever cannot be serialized ends the call with one line that names the class: its function, an
 * argument, its value or its exception. A task's exception that cannot be serialized comes back as a
 * {@link RemoteException} with its class name, message and stack trace. A call run from an envelope runs
 * outside its flow run's process: submitting a task there fails with one line saying so.
 */
public final class CallEnvelope {

    private CallEnvelope() {}

    /**
     * Serializes what a worker needs to run a call: its name, function and arguments.
     *
     * @param call the call, ready
     * @return the bytes
     * @throws UnserializableException if the function or an argument cannot be serialized, naming which
     *     and its class
     */
    public static byte[] request(TaskRunner.Call call) {
        byte[] function = functionBytes(call);
        byte[] arguments = arguments(call);
        byte[] request = new byte[4 + function.length + arguments.length];
        ByteBuffer.wrap(request).putInt(function.length).put(function).put(arguments);
        return request;
    }

    /**
     * Serializes a call's function: the same bytes for every call of one task, made once per function.
     *
     * @param call the call
     * @return the bytes, for {@link #function(byte[])} on the worker; the caller must not change them
     * @throws UnserializableException if the function cannot be serialized, naming its class
     */
    public static byte[] functionBytes(TaskRunner.Call call) {
        TaskFunction function = call.function();
        try {
            return functionBytes(function);
        } catch (IOException | RuntimeException whole) {
            check(function, "its function (the task's lambda, or what it captures)");
            throw new UnserializableException("its function cannot be serialized: " + whole);
        }
    }

    /**
     * Serializes the rest of a call: its name and arguments, for {@link #execute(Function, byte[])} with its
     * function.
     *
     * @param call the call, ready
     * @return the bytes
     * @throws UnserializableException if an argument cannot be serialized, naming which and its class
     */
    public static byte[] arguments(TaskRunner.Call call) {
        Object[] args = call.arguments();
        try {
            return Plain.all(args)
                    ? Plain.arguments(call.name(), call.async(), args)
                    : write(new Arguments(call.name(), call.async(), args));
        } catch (IOException | RuntimeException whole) {
            // Only now, on the way to an error, each argument alone: to name the one that cannot travel.
            for (int i = 0; i < args.length; i++) {
                check(args[i], "argument " + (i + 1));
            }
            throw new UnserializableException("the call's arguments cannot be serialized: " + whole);
        }
    }

    /**
     * Reads a function from its bytes ({@link #functionBytes}), for every call of its task that comes with
     * it. Never throws: a function that cannot be read here makes each call run with it end {@code CRASHED},
     * saying why.
     *
     * @param bytes the function's bytes
     * @return the function, ready to run calls
     */
    public static Function function(byte[] bytes) {
        try {
            return new Function((TaskFunction) read(bytes), null);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new Function(null, "the call's function could not be read on the worker: " + e);
        }
    }

    /** A task's function read on a worker, or why it could not be: see {@link #function(byte[])}. */
    public static final class Function {
        private final TaskFunction function;
        private final String unreadable;

        private Function(TaskFunction function, String unreadable) {
            this.function = function;
            this.unreadable = unreadable;
        }
    }

    /**
     * Returns a function's bytes, made once per function: every call of a task carries the same ones, and a
     * worker reads them once ({@link #function(byte[])}, or {@link #cachedFunction} for whole requests).
     */
    private static byte[] functionBytes(TaskFunction function) throws IOException {
        byte[] bytes = WRITTEN.get(function);
        if (bytes == null) {
            bytes = write(function);
            if (WRITTEN.size() >= CACHED) {
                WRITTEN.clear(); // tasks made on the fly: keep the cache small rather than keep them all
            }
            WRITTEN.put(function, bytes);
        }
        return bytes;
    }

    /** Returns the function those bytes are, read once per distinct bytes on this JVM. */
    private static Function cachedFunction(byte[] bytes) {
        FunctionBytes key = new FunctionBytes(bytes);
        Function function = READ.get(key);
        if (function == null) {
            function = function(bytes);
            if (READ.size() >= CACHED) {
                READ.clear();
            }
            READ.put(key, function);
        }
        return function;
    }

    /** How many functions each side keeps read or written. */
    private static final int CACHED = 1024;

    /** Functions written here, by identity (a task's function is one object). */
    private static final Map<TaskFunction, byte[]> WRITTEN = Collections.synchronizedMap(new WeakHashMap<>());

    /** Functions read here, by their bytes. */
    private static final Map<FunctionBytes, Function> READ = new ConcurrentHashMap<>();

    /** A function's bytes as a key: equal when the bytes are. */
    private static final class FunctionBytes {
        private final byte[] bytes;
        private final int hash;

        FunctionBytes(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FunctionBytes f && hash == f.hash && Arrays.equals(bytes, f.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static void check(Object part, String what) {
        try {
            write(part);
        } catch (NotSerializableException e) {
            throw new UnserializableException(
                    what + " cannot be serialized: " + e.getMessage() + " does not implement java.io.Serializable");
        } catch (IOException | RuntimeException e) {
            throw new UnserializableException(what + " cannot be serialized: " + e);
        }
    }

    /**
     * Runs a request on this JVM and serializes its outcome: the value, the exception the task threw, or
     * why it could not run. Never throws.
     *
     * @param request bytes from {@link #request}
     * @return the outcome's bytes, for {@link #deliver}
     */
    public static byte[] execute(byte[] request) {
        byte[] function;
        byte[] arguments;
        try {
            ByteBuffer in = ByteBuffer.wrap(request);
            function = new byte[in.getInt()];
            in.get(function);
            arguments = new byte[in.remaining()];
            in.get(arguments);
        } catch (RuntimeException e) {
            return outcome(new Outcome(Outcome.CRASHED, "the call could not be read on the worker: " + e, null));
        }
        return execute(cachedFunction(function), arguments);
    }

    /**
     * Runs a call on this JVM with its function, read before, and serializes its outcome, as {@link
     * #execute(byte[])} does. Never throws.
     *
     * @param function its task's function, from {@link #function(byte[])}
     * @param arguments the call's other half, from {@link #arguments}
     * @return the outcome's bytes, for {@link #deliver}
     */
    public static byte[] execute(Function function, byte[] arguments) {
        if (function.function == null) {
            return outcome(new Outcome(Outcome.CRASHED, function.unreadable, null));
        }
        Arguments r;
        try {
            r = arguments.length > 0 && arguments[0] == Plain.MARK
                    ? Plain.readArguments(arguments)
                    : (Arguments) read(arguments);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return outcome(new Outcome(Outcome.CRASHED, "the call could not be read on the worker: " + e, null));
        }
        Object value;
        Object previous = Engine.enterElsewhere(r.name);
        try {
            value = function.function.invoke(r.args);
            if (r.async && value instanceof CompletionStage<?> stage) {
                value = stage.toCompletableFuture().get();
            }
        } catch (ExecutionException | CompletionException e) {
            return failed(e.getCause() != null ? e.getCause() : e);
        } catch (Throwable e) {
            return failed(e);
        } finally {
            Engine.restoreContext(previous);
        }
        if (Plain.is(value)) {
            return Plain.value(value);
        }
        try {
            return write(new Outcome(Outcome.COMPLETED, null, value)); // once: a value may be large
        } catch (NotSerializableException e) {
            return outcome(new Outcome(
                    Outcome.CRASHED,
                    "its value cannot be serialized: " + e.getMessage() + " does not implement java.io.Serializable",
                    null));
        } catch (IOException | RuntimeException e) {
            return outcome(new Outcome(Outcome.CRASHED, "its value cannot be serialized: " + e, null));
        }
    }

    private static byte[] failed(Throwable error) {
        try {
            return write(new Outcome(Outcome.FAILED, null, error));
        } catch (IOException | RuntimeException e) {
            return outcome(new Outcome(Outcome.FAILED, null, new RemoteException(error)));
        }
    }

    /**
     * Makes the outcome of a call that a worker cannot run at all, for {@link #deliver}: the call then ends
     * {@code CRASHED} with {@code why}.
     *
     * @param why why the worker cannot run it, such as {@code worker 'w0' has no GPU}
     * @return the outcome's bytes
     */
    public static byte[] refused(String why) {
        return outcome(new Outcome(Outcome.REFUSED, why, null));
    }

    private static byte[] outcome(Outcome outcome) {
        return write(outcome, "the outcome");
    }

    /**
     * Ends a call with an outcome from {@link #execute}: {@link TaskRunner.Call#complete} with the value,
     * {@link TaskRunner.Call#fail} with the task's exception, or {@link TaskRunner.Call#crash} with an
     * {@link UnserializableException} saying what could not cross (or, for an outcome from {@link #refused},
     * an {@link IllegalStateException} saying why the worker could not run it).
     *
     * @param outcome the outcome's bytes
     * @param call the call they answer
     */
    public static void deliver(byte[] outcome, TaskRunner.Call call) {
        if (outcome.length > 0 && outcome[0] == Plain.MARK) {
            Object value;
            try {
                value = Plain.readValue(outcome);
            } catch (RuntimeException e) {
                call.crash(new UnserializableException("its outcome could not be read back: " + e));
                return;
            }
            call.complete(value);
            return;
        }
        Outcome o;
        try {
            o = (Outcome) read(outcome);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            call.crash(new UnserializableException("its outcome could not be read back: " + e));
            return;
        }
        switch (o.kind) {
            case Outcome.COMPLETED -> call.complete(o.payload);
            case Outcome.FAILED -> call.fail((Throwable) o.payload);
            case Outcome.REFUSED -> call.crash(new IllegalStateException(o.why));
            default -> call.crash(new UnserializableException(o.why));
        }
    }

    private static byte[] write(Object value, String what) {
        try {
            return write(value);
        } catch (IOException e) {
            throw new UnserializableException(what + " cannot be serialized: " + e);
        }
    }

    private static byte[] write(Object value) throws IOException {
        Chunks bytes = new Chunks();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    /**
     * An output stream into chunks that are copied once, into an array of the exact size, at the end: a
     * large value (a 100 MB array) costs its bytes twice, where a growing array costs them about three and a
     * half times (each doubling copies what came before, and the last is larger than needed). Not
     * thread-safe.
     */
    private static final class Chunks extends OutputStream {
        private static final int FIRST = 256;
        private static final int LARGEST = 1 << 20;

        private final List<byte[]> full = new ArrayList<>();
        private byte[] chunk = new byte[FIRST];
        private int used;
        private long size;

        @Override
        public void write(int b) {
            if (used == chunk.length) {
                next();
            }
            chunk[used++] = (byte) b;
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            size += len;
            while (len > 0) {
                if (used == chunk.length) {
                    next();
                }
                int n = Math.min(len, chunk.length - used);
                System.arraycopy(b, off, chunk, used, n);
                used += n;
                off += n;
                len -= n;
            }
        }

        private void next() {
            full.add(chunk);
            chunk = new byte[Math.min(LARGEST, chunk.length * 2)];
            used = 0;
        }

        byte[] toByteArray() {
            if (size > Integer.MAX_VALUE - 16) {
                throw new UncheckedIOException(new IOException("a value of " + size + " bytes: over 2 GB"));
            }
            byte[] all = new byte[(int) size];
            int at = 0;
            for (byte[] c : full) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            System.arraycopy(chunk, 0, all, at, used);
            return all;
        }
    }

    private static Object read(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                try {
                    return Class.forName(
                            desc.getName(), false, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    return super.resolveClass(desc);
                }
            }
        }) {
            return in.readObject();
        }
    }

    /**
     * Calls and values written without Java serialization, where every argument (or the value) is null, a
     * string or one of the JDK's boxes of a number or a boolean: most small calls, at a fraction of the cost
     * of an object stream. Their bytes start with a mark that no object stream starts with.
     */
    private static final class Plain {
        static final byte MARK = 'P';

        private static final byte NULL = 0;
        private static final byte INT = 1;
        private static final byte LONG = 2;
        private static final byte DOUBLE = 3;
        private static final byte BOOLEAN = 4;
        private static final byte STRING = 5;

        private Plain() {}

        static boolean is(Object v) {
            return v == null
                    || v instanceof Integer
                    || v instanceof Long
                    || v instanceof Double
                    || v instanceof Boolean
                    || v instanceof String;
        }

        static boolean all(Object[] values) {
            for (Object v : values) {
                if (!is(v)) {
                    return false;
                }
            }
            return true;
        }

        static byte[] arguments(String name, boolean async, Object[] args) {
            int size = 1 + size(name) + 1 + 4;
            for (Object arg : args) {
                size += size(arg);
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put(MARK);
            string(out, name);
            out.put((byte) (async ? 1 : 0));
            out.putInt(args.length);
            for (Object arg : args) {
                write(out, arg);
            }
            return out.array();
        }

        static Arguments readArguments(byte[] arguments) {
            ByteBuffer in = ByteBuffer.wrap(arguments, 1, arguments.length - 1);
            String name = string(in);
            boolean async = in.get() != 0;
            Object[] args = new Object[in.getInt()];
            for (int i = 0; i < args.length; i++) {
                args[i] = read(in);
            }
            return new Arguments(name, async, args);
        }

        static byte[] value(Object value) {
            ByteBuffer out = ByteBuffer.allocate(1 + size(value));
            out.put(MARK);
            write(out, value);
            return out.array();
        }

        static Object readValue(byte[] outcome) {
            return read(ByteBuffer.wrap(outcome, 1, outcome.length - 1));
        }

        /** Returns how many bytes {@link #write} writes for a value. */
        private static int size(Object v) {
            return switch (v) {
                case null -> 1;
                case Integer i -> 5;
                case Long l -> 9;
                case Double d -> 9;
                case Boolean b -> 2;
                case String s -> 1 + 4 + utf8Length(s);
                default ->
                    throw new IllegalArgumentException(
                            "not a plain value: " + v.getClass().getName());
            };
        }

        private static void write(ByteBuffer out, Object v) {
            switch (v) {
                case null -> out.put(NULL);
                case Integer i -> out.put(INT).putInt(i);
                case Long l -> out.put(LONG).putLong(l);
                case Double d -> out.put(DOUBLE).putDouble(d);
                case Boolean b -> out.put(BOOLEAN).put((byte) (b ? 1 : 0));
                case String s -> string(out.put(STRING), s);
                default ->
                    throw new IllegalArgumentException(
                            "not a plain value: " + v.getClass().getName());
            }
        }

        private static Object read(ByteBuffer in) {
            byte tag = in.get();
            return switch (tag) {
                case NULL -> null;
                case INT -> in.getInt();
                case LONG -> in.getLong();
                case DOUBLE -> in.getDouble();
                case BOOLEAN -> in.get() != 0;
                case STRING -> string(in);
                default -> throw new IllegalArgumentException("unknown value tag " + tag);
            };
        }

        private static void string(ByteBuffer out, String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.putInt(utf8.length).put(utf8);
        }

        private static String string(ByteBuffer in) {
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw new IllegalArgumentException(
                        "a string of " + length + " bytes, with " + in.remaining() + " left");
            }
            String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return s;
        }

        /** The length of a string in UTF-8, as {@code getBytes(UTF_8)} makes it (a lone surrogate: one byte). */
        private static int utf8Length(String s) {
            int length = s.length();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    if (c < 0x800) {
                        length += 1;
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        length += 2; // four bytes for the pair's two chars
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        // a lone surrogate becomes '?': one byte
                    } else {
                        length += 2;
                    }
                }
            }
            return length;
        }
    }

    /**
     * What a worker gets besides the function.
     *
     * @param name the run's name
     * @param async whether the function's value is a stage
     * @param args the resolved arguments
     */
    private record Arguments(String name, boolean async, Object[] args) implements Serializable {}

    /**
     * What comes back: a value, the task's exception, or why the call could not run.
     *
     * @param kind {@code COMPLETED}, {@code FAILED}, {@code CRASHED} (something could not cross) or {@code
     *     REFUSED} (the worker cannot run it)
     * @param why for {@code CRASHED} and {@code REFUSED}, what went wrong
     * @param payload the value, or the exception
     */
    private record Outcome(int kind, String why, Object payload) implements Serializable {
        static final int COMPLETED = 0;
        static final int FAILED = 1;
        static final int CRASHED = 2;
        static final int REFUSED = 3;
    }

    /** A part of a call could not cross between JVMs; its message says which, and its class. */
    public static final class UnserializableException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what could not be serialized
         */
        public UnserializableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * A task's exception that could not be serialized back from the worker: its class name, message and
     * stack trace, as they were there.
     */
    public static final class RemoteException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The class name of the exception the task threw. */
        private final String remoteClass;

        /**
         * Carries an exception home.
         *
         * @param original the exception thrown on the worker
         */
        public RemoteException(Throwable original) {
            super(original.getClass().getName() + ": " + original.getMessage());
            this.remoteClass = original.getClass().getName();
            setStackTrace(original.getStackTrace());
        }

        /**
         * Returns the class name of the exception the task threw.
         *
         * @return the class name
         */
        public String remoteClass() {
            return remoteClass;
        }
    }
}
