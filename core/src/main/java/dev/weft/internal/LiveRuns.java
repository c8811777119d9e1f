package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The runs of a flow run that are not final, so that a cancel or a timeout can reach each of them. A run
 * takes the next slot of a chunk when it starts and empties it when it ends; a chunk whose every slot has
 * been used and emptied is dropped, so a long flow keeps a pointer per live run, not one per run it ever
 * had.
 *
 * <p>Adding and removing take no lock: a slot index comes from one counter, and a chunk counts its ended
 * runs. Making a chunk, growing the chunk table and dropping a chunk, once per {@value #CHUNK} runs, take
 * the monitor.
 */
final class LiveRuns {
    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(LiveRuns.class, "next", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One chunk: the runs in its slots, and how many of them have ended. */
    private static final class Chunk {
        final AtomicReferenceArray<Object> runs = new AtomicReferenceArray<>(CHUNK);
        final AtomicInteger ended = new AtomicInteger();
    }

    @SuppressWarnings("unused") // accessed through NEXT
    private volatile int next;

    private volatile Chunk[] table = new Chunk[4];

    /**
     * Adds a run and returns its slot, to give back to {@link #remove}.
     *
     * @param run a task run or a subflow run
     * @return the slot
     */
    int add(Object run) {
        int slot = (int) NEXT.getAndAdd(this, 1);
        chunk(slot >>> CHUNK_BITS).runs.setRelease(slot & (CHUNK - 1), run);
        return slot;
    }

    /**
     * Removes the run in a slot.
     *
     * @param slot what {@link #add} returned
     */
    void remove(int slot) {
        int c = slot >>> CHUNK_BITS;
        Chunk chunk = chunk(c);
        chunk.runs.setRelease(slot & (CHUNK - 1), null);
        if (chunk.ended.incrementAndGet() == CHUNK) {
            synchronized (this) {
                table[c] = null; // every slot used and emptied: nothing here any more
            }
        }
    }

    /**
     * Calls {@code action} on every run added and not removed, as it finds them.
     *
     * @param action what to do with each
     */
    void forEach(Consumer<Object> action) {
        int end = (int) NEXT.getVolatile(this);
        Chunk[] t;
        synchronized (this) {
            t = table.clone();
        }
        for (int c = 0; c < t.length && (c << CHUNK_BITS) < end; c++) {
            Chunk chunk = t[c];
            if (chunk == null) {
                continue;
            }
            int last = Math.min(CHUNK, end - (c << CHUNK_BITS));
            for (int i = 0; i < last; i++) {
                Object run = chunk.runs.getAcquire(i);
                if (run != null) {
                    action.accept(run);
                }
            }
        }
    }

    private Chunk chunk(int c) {
        Chunk[] t = table;
        Chunk chunk = c < t.length ? t[c] : null;
        return chunk != null ? chunk : slowChunk(c);
    }

    private synchronized Chunk slowChunk(int c) {
        Chunk[] t = table;
        if (c >= t.length) {
            Chunk[] bigger = new Chunk[Math.max(t.length * 2, c + 1)];
            System.arraycopy(t, 0, bigger, 0, t.length);
            table = t = bigger;
        }
        Chunk chunk = t[c];
        if (chunk == null) {
            chunk = new Chunk();
            t[c] = chunk;
            table = t; // publish the write
        }
        return chunk;
    }
}
