package dev.weft.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The runs of a flow run that are not final, so that a cancel or a timeout can reach each of them. A run
 * takes the next slot of a chunk when it starts and empties it when it ends; chunks whose every slot has
 * been filled and emptied are dropped, so a long flow keeps a pointer per live run, not one per run it ever
 * had.
 *
 * <p>Adding takes no lock: a slot index comes from one counter, and a chunk counts the slots written into
 * it. Removing is one store, so the threads that end runs never write a word they share. When a chunk
 * fills, the thread that filled it looks over the full chunks under the monitor and drops those that are
 * empty; each chunk remembers where it last found a run, so that a chunk kept by a long run costs one read
 * per look. A chunk is dropped only once every slot of it was written, so a run being added as its chunk is
 * looked over is never lost.
 *
 * <p>A dropped chunk is kept, one at a time, for the next chunk the flow run needs: a long flow run makes
 * about as many chunks as it has live runs at once, not one per 1,024 runs.
 *
 * <p>Consecutive slots lie 64 places apart in their chunk ({@link #place}), on different cache lines, so
 * that the thread adding runs and the threads removing the runs just before them do not write one line; and
 * the index of the next slot, which every add writes, has a cache line of its own ({@link
 * PaddedCounter}), away from the chunk table, which every remove reads.
 */
final class LiveRuns {
    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK - 1;
    /** One chunk: the runs in its places, and how many of its slots have been written. */
    private static final class Chunk {
        final AtomicReferenceArray<Object> runs = new AtomicReferenceArray<>(CHUNK);
        final AtomicInteger filled = new AtomicInteger();

        /** The first place that held a run when the chunk was last looked over; guarded by the monitor. */
        int scanFrom;
    }

    /** The next slot's index. */
    private final PaddedCounter next = new PaddedCounter();

    private volatile Chunk[] table = new Chunk[4];

    /** No chunk below this index is kept; guarded by the monitor. */
    private int oldest;

    /** A dropped chunk, every place empty, for the next chunk to be made to reuse; guarded by the monitor. */
    private Chunk spare;

    /** How many chunks were made; guarded by the monitor. */
    private int made;

    /**
     * Adds a run and returns its slot, to give back to {@link #remove}.
     *
     * @param run a task run or a subflow run
     * @return the slot
     */
    int add(Object run) {
        int slot = (int) next.getAndIncrement();
        int c = slot >>> CHUNK_BITS;
        Chunk chunk = chunk(c);
        chunk.runs.setRelease(place(slot), run);
        if (chunk.filled.incrementAndGet() == CHUNK) {
            dropEmpty(c);
        }
        return slot;
    }

    /**
     * Adds a run, as {@link #add} does, for live runs that one thread alone adds to: the slot's index is its
     * own count, and a chunk is full when it writes the last slot, so it makes no atomic add. Only ever
     * called by that thread, and {@link #add} never on the same live runs.
     *
     * @param run a task run or a subflow run
     * @return the slot
     */
    int addFromOwner(Object run) {
        int slot = (int) next.getAndIncrementByOwner();
        int c = slot >>> CHUNK_BITS;
        Chunk chunk = chunk(c);
        chunk.runs.setRelease(place(slot), run);
        if ((slot & MASK) == MASK) {
            chunk.filled.set(CHUNK); // every slot of it written, by this thread: it may be dropped once empty
            dropEmpty(c);
        }
        return slot;
    }

    /**
     * Removes the run in a slot.
     *
     * @param slot what {@link #add} returned
     */
    void remove(int slot) {
        chunk(slot >>> CHUNK_BITS).runs.setRelease(place(slot), null);
    }

    /**
     * Calls {@code action} on every run added and not removed, as it finds them.
     *
     * @param action what to do with each
     */
    void forEach(Consumer<Object> action) {
        Chunk[] t;
        synchronized (this) {
            t = table.clone();
        }
        for (Chunk chunk : t) {
            if (chunk == null) {
                continue;
            }
            for (int i = 0; i < CHUNK; i++) {
                Object run = chunk.runs.getAcquire(i);
                if (run != null) {
                    action.accept(run);
                }
            }
        }
    }

    /** Returns how many chunks are kept, for tests. */
    synchronized int chunksKept() {
        int n = 0;
        for (Chunk chunk : table) {
            if (chunk != null) {
                n++;
            }
        }
        return n;
    }

    /** Returns how many chunks were made, for tests. */
    synchronized int chunksMade() {
        return made;
    }

    /** Where a slot lies in its chunk: the chunk as 16 rows of 64 places, filled column by column. */
    private static int place(int slot) {
        int i = slot & MASK;
        return ((i & 15) << 6) | (i >>> 4);
    }

    /**
     * Drops the full chunks up to {@code upTo} whose every run has been removed. A missing chunk below it was
     * dropped before (or, were more than a chunk's worth of adds all paused between taking their slot and
     * making its chunk, will be made later and then kept, which costs memory, never a run).
     */
    private synchronized void dropEmpty(int upTo) {
        Chunk[] t = table;
        boolean below = true; // every chunk so far was dropped
        for (int c = oldest; c <= upTo && c < t.length; c++) {
            Chunk chunk = t[c];
            if (chunk != null) {
                if (chunk.filled.get() < CHUNK) {
                    below = false;
                    continue; // some slot of it is taken and not yet written
                }
                int i = chunk.scanFrom;
                while (i < CHUNK && chunk.runs.getAcquire(i) == null) {
                    i++;
                }
                if (i < CHUNK) {
                    chunk.scanFrom = i;
                    below = false;
                    continue;
                }
                t[c] = null; // every slot written and emptied: nothing here any more
                if (spare == null) {
                    chunk.filled.set(0); // no add or remove reaches it any more: each of its slots had both
                    chunk.scanFrom = 0;
                    spare = chunk;
                }
            }
            if (below) {
                oldest = c + 1;
            }
        }
        table = t; // publish the writes
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
            if (spare != null) {
                chunk = spare;
                spare = null;
            } else {
                chunk = new Chunk();
                made++;
            }
            t[c] = chunk;
            table = t; // publish the write
        }
        return chunk;
    }
}
