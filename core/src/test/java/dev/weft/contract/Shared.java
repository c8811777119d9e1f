package dev.weft.contract;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Objects that a test and its tasks share, even when a runner sends the tasks through bytes: each
 * serializes as a key and reads back as the very same object, as a task on a real worker would reach a
 * database or a queue the test also sees. In-process runners never serialize, and use them as the plain
 * objects they are: a future and a queue are the JDK's own, a {@link Ref} and a {@link Counter} are
 * thread-safe holders of a value.
 *
 * <p>Where the tasks run in other JVMs, the test calls {@link #serve()} and starts those JVMs with the
 * system property {@value #BRIDGE_PROPERTY} set to the address it returns: there each shared object reads
 * back as a proxy that forwards to the test's own object (see {@link SharedBridge}).
 */
public final class Shared {
    /** The system property that tells a JVM where the test JVM serves its shared objects. */
    public static final String BRIDGE_PROPERTY = "weft.test.shared";

    private static final Map<UUID, Object> LIVE = new ConcurrentHashMap<>();

    private Shared() {}

    /**
     * Serves this JVM's shared objects to other JVMs on the loopback interface, starting the server on
     * the first call.
     *
     * @return the address, {@code 127.0.0.1:PORT}, to give other JVMs as {@value #BRIDGE_PROPERTY}
     */
    public static String serve() {
        return SharedBridge.serve();
    }

    /** Returns a future that tasks shipped through bytes complete and read as the test's own. */
    public static <T> CompletableFuture<T> future() {
        return register(new SharedFuture<>());
    }

    /** Returns a reference, to null at first, that tasks shipped through bytes share with the test. */
    public static <T> Ref<T> ref() {
        return register(new SharedRef<>());
    }

    /** Returns a counter, from 0, that tasks shipped through bytes share with the test. */
    public static Counter counter() {
        return register(new SharedCounter());
    }

    /** Returns a queue that tasks shipped through bytes share with the test. */
    public static <E> ConcurrentLinkedQueue<E> queue() {
        return register(new SharedQueue<>());
    }

    private static <T extends Keyed> T register(T shared) {
        LIVE.put(shared.key(), shared);
        return shared;
    }

    /** Returns the shared object made in this JVM with this key, or null. */
    static Object live(UUID key) {
        return LIVE.get(key);
    }

    /** Something shared, by its key. */
    private interface Keyed {
        UUID key();
    }

    /** The kinds of shared object, each with the public type whose methods a proxy forwards. */
    enum Kind {
        FUTURE(CompletableFuture.class),
        REF(Ref.class),
        COUNTER(Counter.class),
        QUEUE(ConcurrentLinkedQueue.class);

        private final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }

        /** Returns the public type that shared objects of this kind extend, and whose methods are called. */
        Class<?> type() {
            return type;
        }
    }

    /**
     * What a shared object serializes as: its key and kind, which read back as the object in the JVM that
     * made it, and as a proxy to it in a JVM given {@value #BRIDGE_PROPERTY}.
     */
    record Handle(UUID key, Kind kind) implements Serializable {
        @Serial
        private Object readResolve() {
            Object live = LIVE.get(key);
            if (live != null) {
                return live;
            }
            String bridge = System.getProperty(BRIDGE_PROPERTY);
            if (bridge == null) {
                throw new IllegalStateException("no shared object " + key + " in this JVM");
            }
            return SharedBridge.proxy(this, bridge);
        }
    }

    /** A future the test and its tasks share. */
    private static final class SharedFuture<T> extends CompletableFuture<T> implements Serializable, Keyed {
        @Serial
        private static final long serialVersionUID = 1L;

        private final UUID key = UUID.randomUUID();

        @Override
        public UUID key() {
            return key;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>(); // what stages derive from it stay plain
        }

        @Serial
        private Object writeReplace() {
            return new Handle(key, Kind.FUTURE);
        }
    }

    /**
     * A reference that a test and its tasks share, thread-safe as an {@link AtomicReference} is. It compares
     * by {@link Object#equals equals}, not by identity: a value that crossed from another JVM is a copy.
     *
     * @param <T> the type of the value
     */
    public abstract static class Ref<T> implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** Only this package makes references: the shared one of the test and its proxies. */
        Ref() {}

        /** Returns the value. */
        public abstract T get();

        /** Sets the value. */
        public abstract void set(T value);

        /** Sets the value and returns the one it replaced. */
        public abstract T getAndSet(T value);

        /** Sets the value to {@code update} where it equals {@code expected}, and says whether it did. */
        public abstract boolean compareAndSet(T expected, T update);

        /** Returns the value as a string, as {@link String#valueOf(Object)} does. */
        @Override
        public abstract String toString();
    }

    /**
     * A counter that a test and its tasks share, thread-safe as an {@link AtomicInteger} is.
     */
    public abstract static class Counter implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** Only this package makes counters: the shared one of the test and its proxies. */
        Counter() {}

        /** Returns the count. */
        public abstract int get();

        /** Sets the count. */
        public abstract void set(int value);

        /** Adds one and returns the new count. */
        public abstract int incrementAndGet();

        /** Adds one and returns the count before. */
        public abstract int getAndIncrement();

        /** Takes one away and returns the new count. */
        public abstract int decrementAndGet();

        /** Takes one away and returns the count before. */
        public abstract int getAndDecrement();

        /** Adds {@code delta} and returns the new count. */
        public abstract int addAndGet(int delta);

        /** Adds {@code delta} and returns the count before. */
        public abstract int getAndAdd(int delta);

        /** Sets the count to {@code update} where it is {@code expected}, and says whether it did. */
        public abstract boolean compareAndSet(int expected, int update);

        /** Returns the count, as {@link Number#intValue()} does. */
        public abstract int intValue();

        /** Returns the count as a string. */
        @Override
        public abstract String toString();
    }

    /** The reference the test and its tasks share, that lives in the test's JVM. */
    private static final class SharedRef<T> extends Ref<T> implements Keyed {
        @Serial
        private static final long serialVersionUID = 1L;

        private final UUID key = UUID.randomUUID();
        private final AtomicReference<T> value = new AtomicReference<>();

        @Override
        public UUID key() {
            return key;
        }

        @Override
        public T get() {
            return value.get();
        }

        @Override
        public void set(T newValue) {
            value.set(newValue);
        }

        @Override
        public T getAndSet(T newValue) {
            return value.getAndSet(newValue);
        }

        @Override
        public boolean compareAndSet(T expected, T update) {
            while (true) {
                T current = value.get();
                if (!Objects.equals(current, expected)) {
                    return false;
                }
                if (value.compareAndSet(current, update)) {
                    return true;
                }
            }
        }

        @Override
        public String toString() {
            return String.valueOf(value.get());
        }

        @Serial
        private Object writeReplace() {
            return new Handle(key, Kind.REF);
        }
    }

    /** The counter the test and its tasks share, that lives in the test's JVM. */
    private static final class SharedCounter extends Counter implements Keyed {
        @Serial
        private static final long serialVersionUID = 1L;

        private final UUID key = UUID.randomUUID();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public UUID key() {
            return key;
        }

        @Override
        public int get() {
            return count.get();
        }

        @Override
        public void set(int value) {
            count.set(value);
        }

        @Override
        public int incrementAndGet() {
            return count.incrementAndGet();
        }

        @Override
        public int getAndIncrement() {
            return count.getAndIncrement();
        }

        @Override
        public int decrementAndGet() {
            return count.decrementAndGet();
        }

        @Override
        public int getAndDecrement() {
            return count.getAndDecrement();
        }

        @Override
        public int addAndGet(int delta) {
            return count.addAndGet(delta);
        }

        @Override
        public int getAndAdd(int delta) {
            return count.getAndAdd(delta);
        }

        @Override
        public boolean compareAndSet(int expected, int update) {
            return count.compareAndSet(expected, update);
        }

        @Override
        public int intValue() {
            return count.get();
        }

        @Override
        public String toString() {
            return Integer.toString(count.get());
        }

        @Serial
        private Object writeReplace() {
            return new Handle(key, Kind.COUNTER);
        }
    }

    /** A queue the test and its tasks share. */
    private static final class SharedQueue<E> extends ConcurrentLinkedQueue<E> implements Keyed {
        @Serial
        private static final long serialVersionUID = 1L;

        private final UUID key = UUID.randomUUID();

        @Override
        public UUID key() {
            return key;
        }

        @Serial
        private Object writeReplace() {
            return new Handle(key, Kind.QUEUE);
        }
    }
}
