package dev.weft.contract;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
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
 * JDK objects they extend.
 */
public final class Shared {
    private static final Map<UUID, Object> LIVE = new ConcurrentHashMap<>();

    private Shared() {}

    /** Returns a future that tasks shipped through bytes complete and read as the test's own. */
    public static <T> CompletableFuture<T> future() {
        return register(new SharedFuture<>());
    }

    /** Returns a reference that tasks shipped through bytes share with the test. */
    public static <T> AtomicReference<T> ref() {
        return register(new SharedRef<>());
    }

    /** Returns a counter, from 0, that tasks shipped through bytes share with the test. */
    public static AtomicInteger counter() {
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

    /** Something shared, by its key. */
    private interface Keyed {
        UUID key();
    }

    /** What a shared object serializes as: its key, which reads back as the object. */
    private record Handle(UUID key) implements Serializable {
        @Serial
        private Object readResolve() {
            Object live = LIVE.get(key);
            if (live == null) {
                throw new IllegalStateException("no shared object " + key + " in this JVM");
            }
            return live;
        }
    }

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
            return new Handle(key);
        }
    }

    private static final class SharedRef<T> extends AtomicReference<T> implements Keyed {
        @Serial
        private static final long serialVersionUID = 1L;

        private final UUID key = UUID.randomUUID();

        @Override
        public UUID key() {
            return key;
        }

        @Serial
        private Object writeReplace() {
            return new Handle(key);
        }
    }

    private static final class SharedCounter extends AtomicInteger implements Keyed {
        @Serial
        private static final long serialVersionUID = 1L;

        private final UUID key = UUID.randomUUID();

        @Override
        public UUID key() {
            return key;
        }

        @Serial
        private Object writeReplace() {
            return new Handle(key);
        }
    }

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
            return new Handle(key);
        }
    }
}
