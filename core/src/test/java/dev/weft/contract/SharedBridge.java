package dev.weft.contract;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Spliterator;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Reaches the test's shared objects from other JVMs: the test JVM serves them on the loopback interface
 * ({@link #serve()}), and a JVM started with {@link Shared#BRIDGE_PROPERTY} reads a shared future, queue,
 * {@link Shared.Ref} or {@link Shared.Counter} back as a proxy that forwards each call to the test's
 * object, over sockets, with Java serialization.
 *
 * <p>A future proxy also waits on the test's future from the moment it is read, and completes itself
 * with the same outcome, so that {@code get}, {@code join} and the stages built on it work as they do on
 * the test's own. A reference or counter proxy holds nothing itself: every read and write is a call.
 */
final class SharedBridge {
    /** The call a future proxy makes to wait for the outcome of the test's future. */
    private static final String AWAIT = "await";

    private static final String LOOPBACK = "127.0.0.1";
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final Map<String, Client> CLIENTS = new ConcurrentHashMap<>();
    private static final Map<UUID, Object> PROXIES = new ConcurrentHashMap<>();
    private static String address;

    private SharedBridge() {}

    /** Starts the server of this JVM's shared objects, once, and returns its address. */
    static synchronized String serve() {
        if (address == null) {
            ServerSocket server;
            try {
                server = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the shared objects", e);
            }
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Thread.ofVirtual().name("weft-shared-bridge").start(() -> accept(server, loader));
            address = LOOPBACK + ":" + server.getLocalPort();
        }
        return address;
    }

    /** Returns the proxy, made once per key, for the shared object a handle names in the JVM at the address. */
    static Object proxy(Shared.Handle handle, String bridge) {
        Client client = CLIENTS.computeIfAbsent(bridge, Client::new);
        return PROXIES.computeIfAbsent(handle.key(), key -> switch (handle.kind()) {
            case FUTURE -> FutureProxy.follow(handle, client);
            case QUEUE -> new QueueProxy<>(handle, client);
            case REF -> new RefProxy<>(handle, client);
            case COUNTER -> new CounterProxy(handle, client);
        });
    }

    /** Accepts connections from this machine, each served on its own thread, until the server fails. */
    private static void accept(ServerSocket server, ClassLoader loader) {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            if (!socket.getInetAddress().isLoopbackAddress()) {
                close(socket);
                continue;
            }
            Thread.ofVirtual().name("weft-shared-bridge-call").start(() -> answer(socket, loader));
        }
    }

    /** Answers the calls that come in on one connection, one after the other, until it closes. */
    private static void answer(Socket socket, ClassLoader loader) {
        try (socket) {
            socket.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] request = Frames.read(in);
                if (request == null) {
                    return;
                }
                Frames.write(out, Frames.reply(answer(request, loader)));
            }
        } catch (IOException e) {
            // the other JVM went away: nothing is left to answer
        }
    }

    /** Runs one call on the live object it names, and returns what it came to. */
    private static Reply answer(byte[] request, ClassLoader loader) {
        Call call;
        try {
            call = (Call) Frames.object(request, loader);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            return new Reply(null, new IllegalStateException("cannot read a call to a shared object", e));
        }
        Object live = Shared.live(call.key());
        if (live == null || !call.kind().type().isInstance(live)) {
            return new Reply(null, new IllegalStateException("no shared " + call.kind() + " " + call.key()));
        }
        if (call.method().equals(AWAIT) && live instanceof CompletableFuture<?> future) {
            return future.handle(Reply::new).join();
        }
        try {
            Method method = call.kind().type().getMethod(call.method(), call.parameterTypes());
            return new Reply(method.invoke(live, call.arguments()), null);
        } catch (InvocationTargetException e) {
            return new Reply(null, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Reply(null, e);
        }
    }

    /** Closes a socket, ignoring a failure to. */
    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }

    /**
     * A call to a shared object: the key and kind that name it, and a public method of its type with the
     * arguments to call it with.
     */
    private record Call(UUID key, Shared.Kind kind, String method, Class<?>[] parameterTypes, Object[] arguments)
            implements Serializable {}

    /** What a call came to: what it returned, or, where not null, what it threw. */
    private record Reply(Object result, Throwable thrown) implements Serializable {
        /** Returns what the call returned, or throws what it threw. */
        Object unwrap() {
            if (thrown instanceof RuntimeException e) {
                throw e;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
            if (thrown != null) {
                throw new IllegalStateException("a call to a shared object failed", thrown);
            }
            return result;
        }
    }

    /** How calls and replies travel: each serialized on its own, and sent after its length. */
    private static final class Frames {
        private Frames() {}

        /** Serializes an object. */
        static byte[] bytes(Object object) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(object);
            }
            return bytes.toByteArray();
        }

        /** Serializes a reply, or, where what it carries does not serialize, a reply that says so. */
        static byte[] reply(Reply reply) throws IOException {
            try {
                return bytes(reply);
            } catch (IOException e) {
                return bytes(new Reply(null, new IllegalStateException("cannot send back " + reply + ": " + e)));
            }
        }

        /** Reads back a serialized object, resolving classes with the given loader first. */
        static Object object(byte[] bytes, ClassLoader loader) throws IOException, ClassNotFoundException {
            try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
                return in.readObject();
            }
        }

        /** Sends one frame. */
        static void write(DataOutputStream out, byte[] frame) throws IOException {
            out.writeInt(frame.length);
            out.write(frame);
            out.flush();
        }

        /** Reads one frame, or returns null where the connection closed before it. */
        static byte[] read(DataInputStream in) throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException e) {
                return null;
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            return frame;
        }
    }

    /** An object stream that resolves classes with a given loader, then as object streams do. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // a primitive type, or a class the default resolution finds
                }
            }
            return super.resolveClass(desc);
        }
    }

    /** The calls of one JVM to the test JVM at one address, over connections it reuses. */
    private static final class Client {
        private final String address;
        private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

        Client(String address) {
            this.address = address;
        }

        /** Calls a public method of the shared object's type on the test's object, and returns its result. */
        Object call(Shared.Handle handle, String method, Class<?>[] parameterTypes, Object... arguments) {
            byte[] request = request(new Call(handle.key(), handle.kind(), method, parameterTypes, arguments));
            Connection connection = idle.poll();
            byte[] reply;
            try {
                if (connection == null) {
                    connection = new Connection(address);
                }
                reply = connection.exchange(request);
            } catch (IOException e) {
                if (connection != null) {
                    connection.close();
                }
                throw new UncheckedIOException("lost the test JVM at " + address, e);
            }
            idle.add(connection);
            return reply(reply).unwrap();
        }

        /** Waits, on a connection of its own, for the test's future to complete, and returns its outcome. */
        Reply await(Shared.Handle handle) {
            byte[] request = request(new Call(handle.key(), handle.kind(), AWAIT, new Class<?>[0], new Object[0]));
            Connection connection = null;
            try {
                connection = new Connection(address);
                return reply(connection.exchange(request));
            } catch (IOException e) {
                throw new UncheckedIOException("lost the test JVM at " + address, e);
            } finally {
                if (connection != null) {
                    connection.close();
                }
            }
        }

        /** Serializes a call, failing before anything is sent where its arguments do not serialize. */
        private static byte[] request(Call call) {
            try {
                return Frames.bytes(call);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot send " + call.method() + " to a shared object", e);
            }
        }

        /** Reads back a reply with the calling thread's class loader. */
        private static Reply reply(byte[] bytes) {
            try {
                return (Reply) Frames.object(bytes, Thread.currentThread().getContextClassLoader());
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot read a reply from a shared object", e);
            }
        }
    }

    /** One connection to the test JVM, used by one call at a time. */
    private static final class Connection {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        Connection(String address) throws IOException {
            int colon = address.lastIndexOf(':');
            socket = new Socket();
            try {
                socket.connect(
                        new InetSocketAddress(
                                address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                        CONNECT_TIMEOUT_MILLIS);
                socket.setTcpNoDelay(true);
                in = new DataInputStream(socket.getInputStream());
                out = new DataOutputStream(socket.getOutputStream());
            } catch (IOException | RuntimeException e) {
                SharedBridge.close(socket);
                throw e;
            }
        }

        /** Sends a call and returns the reply to it. */
        byte[] exchange(byte[] request) throws IOException {
            Frames.write(out, request);
            byte[] reply = Frames.read(in);
            if (reply == null) {
                throw new EOFException("the test JVM closed the connection");
            }
            return reply;
        }

        /** Closes the connection. */
        void close() {
            SharedBridge.close(socket);
        }
    }

    /**
     * A future read in another JVM: it completes with the outcome of the test's future, and completing it
     * completes the test's future. Stages derived from it are plain futures of this JVM.
     */
    private static final class FutureProxy<T> extends CompletableFuture<T> implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Shared.Handle handle;
        private final transient Client client;

        private FutureProxy(Shared.Handle handle, Client client) {
            this.handle = handle;
            this.client = client;
        }

        /** Returns a proxy that waits, on a virtual thread, for the test's future and takes on its outcome. */
        static <T> FutureProxy<T> follow(Shared.Handle handle, Client client) {
            FutureProxy<T> proxy = new FutureProxy<>(handle, client);
            Thread.ofVirtual().name("weft-shared-future").start(proxy::takeOutcome);
            return proxy;
        }

        /** Waits for the test's future and completes this one as it completed. */
        @SuppressWarnings("unchecked")
        private void takeOutcome() {
            try {
                Reply outcome = client.await(handle);
                if (outcome.thrown() != null) {
                    super.completeExceptionally(outcome.thrown());
                } else {
                    super.complete((T) outcome.result());
                }
            } catch (RuntimeException e) {
                super.completeExceptionally(new IllegalStateException("lost the shared future " + handle.key(), e));
            }
        }

        @Override
        public boolean complete(T value) {
            boolean completed = (Boolean) client.call(handle, "complete", new Class<?>[] {Object.class}, value);
            if (completed) {
                super.complete(value);
            }
            return completed;
        }

        @Override
        public boolean completeExceptionally(Throwable ex) {
            boolean completed =
                    (Boolean) client.call(handle, "completeExceptionally", new Class<?>[] {Throwable.class}, ex);
            if (completed) {
                super.completeExceptionally(ex);
            }
            return completed;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled =
                    (Boolean) client.call(handle, "cancel", new Class<?>[] {boolean.class}, mayInterruptIfRunning);
            if (cancelled) {
                super.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }

        @Override
        public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
            executor.execute(() -> {
                try {
                    complete(supplier.get());
                } catch (RuntimeException | Error e) {
                    completeExceptionally(e);
                }
            });
            return this;
        }

        @Override
        public void obtrudeValue(T value) {
            throw new UnsupportedOperationException("a shared future cannot be obtruded from another JVM");
        }

        @Override
        public void obtrudeException(Throwable ex) {
            throw new UnsupportedOperationException("a shared future cannot be obtruded from another JVM");
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>(); // what stages derive from it stay plain
        }

        /** Serializes as the test's future does, so that it reads back there as that future. */
        @Serial
        private Object writeReplace() {
            return handle;
        }
    }

    /**
     * A queue read in another JVM: each of its calls is made on the test's queue. It does not iterate: ask
     * it with {@code poll}, {@code peek}, {@code contains}, {@code size} or {@code toArray}.
     */
    private static final class QueueProxy<E> extends ConcurrentLinkedQueue<E> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Shared.Handle handle;
        private final transient Client client;

        QueueProxy(Shared.Handle handle, Client client) {
            this.handle = handle;
            this.client = client;
        }

        /** Calls the method on the test's queue. */
        private Object call(String method, Class<?>[] parameterTypes, Object... arguments) {
            return client.call(handle, method, parameterTypes, arguments);
        }

        /** Refuses what would walk the queue here, where it holds nothing. */
        private static UnsupportedOperationException walks(String method) {
            return new UnsupportedOperationException(
                    "a shared queue read in another JVM cannot " + method + "; use poll, peek, contains or toArray");
        }

        @Override
        public boolean add(E e) {
            return (Boolean) call("add", new Class<?>[] {Object.class}, e);
        }

        @Override
        public boolean offer(E e) {
            return (Boolean) call("offer", new Class<?>[] {Object.class}, e);
        }

        @Override
        public boolean addAll(Collection<? extends E> c) {
            return (Boolean) call("addAll", new Class<?>[] {Collection.class}, new ArrayList<>(c));
        }

        @Override
        @SuppressWarnings("unchecked")
        public E poll() {
            return (E) call("poll", new Class<?>[0]);
        }

        @Override
        @SuppressWarnings("unchecked")
        public E peek() {
            return (E) call("peek", new Class<?>[0]);
        }

        @Override
        public int size() {
            return (Integer) call("size", new Class<?>[0]);
        }

        @Override
        public boolean isEmpty() {
            return (Boolean) call("isEmpty", new Class<?>[0]);
        }

        @Override
        public boolean contains(Object o) {
            return (Boolean) call("contains", new Class<?>[] {Object.class}, o);
        }

        @Override
        public boolean remove(Object o) {
            return (Boolean) call("remove", new Class<?>[] {Object.class}, o);
        }

        @Override
        public void clear() {
            call("clear", new Class<?>[0]);
        }

        @Override
        public Object[] toArray() {
            return (Object[]) call("toArray", new Class<?>[0]);
        }

        @Override
        public <T> T[] toArray(T[] a) {
            throw walks("fill an array");
        }

        @Override
        public String toString() {
            return (String) call("toString", new Class<?>[0]);
        }

        @Override
        public Iterator<E> iterator() {
            throw walks("iterate");
        }

        @Override
        public Spliterator<E> spliterator() {
            throw walks("stream");
        }

        @Override
        public void forEach(Consumer<? super E> action) {
            throw walks("iterate");
        }

        @Override
        public boolean removeIf(Predicate<? super E> filter) {
            throw walks("remove by a predicate");
        }

        @Override
        public boolean removeAll(Collection<?> c) {
            throw walks("remove all of a collection");
        }

        @Override
        public boolean retainAll(Collection<?> c) {
            throw walks("retain a collection");
        }

        /** Serializes as the test's queue does, so that it reads back there as that queue. */
        @Serial
        private Object writeReplace() {
            return handle;
        }
    }

    /** A reference read in another JVM: each of its calls is made on the test's reference. */
    private static final class RefProxy<T> extends Shared.Ref<T> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final Shared.Handle handle;
        private final transient Client client;

        RefProxy(Shared.Handle handle, Client client) {
            this.handle = handle;
            this.client = client;
        }

        /** Calls the method on the test's reference. */
        private Object call(String method, Class<?>[] parameterTypes, Object... arguments) {
            return client.call(handle, method, parameterTypes, arguments);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T get() {
            return (T) call("get", new Class<?>[0]);
        }

        @Override
        public void set(T value) {
            call("set", new Class<?>[] {Object.class}, value);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T getAndSet(T value) {
            return (T) call("getAndSet", new Class<?>[] {Object.class}, value);
        }

        @Override
        public boolean compareAndSet(T expected, T update) {
            return (Boolean) call("compareAndSet", new Class<?>[] {Object.class, Object.class}, expected, update);
        }

        @Override
        public String toString() {
            return (String) call("toString", new Class<?>[0]);
        }

        /** Serializes as the test's reference does, so that it reads back there as that reference. */
        @Serial
        private Object writeReplace() {
            return handle;
        }
    }

    /** A counter read in another JVM: each of its calls is made on the test's counter. */
    private static final class CounterProxy extends Shared.Counter {
        @Serial
        private static final long serialVersionUID = 1L;

        private static final Class<?>[] NONE = new Class<?>[0];
        private static final Class<?>[] ONE_INT = new Class<?>[] {int.class};

        private final Shared.Handle handle;
        private final transient Client client;

        CounterProxy(Shared.Handle handle, Client client) {
            this.handle = handle;
            this.client = client;
        }

        /** Calls the method on the test's counter, and returns the int it returns. */
        private int count(String method, Class<?>[] parameterTypes, Object... arguments) {
            return (Integer) client.call(handle, method, parameterTypes, arguments);
        }

        @Override
        public int get() {
            return count("get", NONE);
        }

        @Override
        public void set(int value) {
            client.call(handle, "set", ONE_INT, value);
        }

        @Override
        public int incrementAndGet() {
            return count("incrementAndGet", NONE);
        }

        @Override
        public int getAndIncrement() {
            return count("getAndIncrement", NONE);
        }

        @Override
        public int decrementAndGet() {
            return count("decrementAndGet", NONE);
        }

        @Override
        public int getAndDecrement() {
            return count("getAndDecrement", NONE);
        }

        @Override
        public int addAndGet(int delta) {
            return count("addAndGet", ONE_INT, delta);
        }

        @Override
        public int getAndAdd(int delta) {
            return count("getAndAdd", ONE_INT, delta);
        }

        @Override
        public boolean compareAndSet(int expected, int update) {
            return (Boolean)
                    client.call(handle, "compareAndSet", new Class<?>[] {int.class, int.class}, expected, update);
        }

        @Override
        public int intValue() {
            return count("intValue", NONE);
        }

        @Override
        public String toString() {
            return (String) client.call(handle, "toString", NONE);
        }

        /** Serializes as the test's counter does, so that it reads back there as that counter. */
        @Serial
        private Object writeReplace() {
            return handle;
        }
    }
}
