package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: whatever adds, removes and walks race, a walk never sees a run that was removed before it
 * began, and sees every run that was added before it began and is not removed until it ends; at rest it
 * sees exactly the runs still in. Chunks fill, empty, are dropped and made again of a dropped one many times
 * over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class LiveRunsTest {

    @RepeatedTest(5)
    void shouldWalkExactlyTheRunsStillInUnderRacingAddsAndRemoves() throws InterruptedException {
        LiveRuns live = new LiveRuns();
        int threads = 4;
        int perThread = 20_000;
        Set<Object> kept = ConcurrentHashMap.newKeySet();
        Set<Object> pinned = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);

        // Pinned runs stay in for the whole test: every walk must see each of them.
        for (int i = 0; i < 50; i++) {
            Object run = "pinned-" + i;
            live.add(run);
            pinned.add(run);
        }
        Thread walker = startWalker(live, pinned, start, stop, failures);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    List<Integer> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Object run = id + "-" + i;
                        int slot = live.add(run);
                        if (i % 997 == 0) {
                            kept.add(run); // stays in
                        } else {
                            mine.add(slot);
                        }
                        if (mine.size() > 16) {
                            live.remove(mine.remove(0));
                        }
                    }
                    for (int slot : mine) {
                        live.remove(slot);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        stop.set(true);
        walker.join();

        assertThat(failures).isEmpty();
        assertWalkSeesExactly(live, kept, pinned);
    }

    /** One thread adds, as a flow's body does, others remove and walk. */
    @RepeatedTest(5)
    void shouldWalkExactlyTheRunsStillInWhenOneThreadAddsAndOthersRemove() throws InterruptedException {
        LiveRuns live = new LiveRuns();
        Set<Object> kept = ConcurrentHashMap.newKeySet();
        Set<Object> pinned = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            Object run = "pinned-" + i;
            live.addFromOwner(run);
            pinned.add(run);
        }
        // bounded: the adding thread waits for the removers, so that only a few chunks are filled at once
        BlockingQueue<Integer> toRemove = new ArrayBlockingQueue<>(2_048);
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Thread walker = startWalker(live, pinned, new CountDownLatch(0), stop, failures);
        List<Thread> removers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            removers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int slot; (slot = toRemove.take()) >= 0; ) {
                        live.remove(slot);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (int i = 0; i < 80_000; i++) {
            Object run = "run-" + i;
            int slot = live.addFromOwner(run);
            if (i % 997 == 0 && i < 10_000) {
                kept.add(run); // stays in, as do the first ten chunks with it
            } else {
                toRemove.put(slot);
            }
        }
        for (int t = 0; t < removers.size(); t++) {
            toRemove.put(-1);
        }
        for (Thread r : removers) {
            r.join();
        }
        stop.set(true);
        walker.join();
        for (int i = 0; i < 1_024; i++) { // fills the next chunk: the chunks emptied meanwhile are dropped
            live.remove(live.addFromOwner("last-" + i));
        }

        assertThat(failures).isEmpty();
        assertWalkSeesExactly(live, kept, pinned);
        // 81,074 runs through 80 chunks: the ten of the kept runs stay, the one being filled, and the one that
        // filled last if its last run was still in as it filled
        assertThat(live.chunksKept()).isBetween(11, 12);
    }

    /** Walks until {@code stop}, from {@code start} on; a walk that misses a pinned run is a failure. */
    private static Thread startWalker(
            LiveRuns live, Set<Object> pinned, CountDownLatch start, AtomicBoolean stop, List<Throwable> failures) {
        return Thread.ofPlatform().start(() -> {
            try {
                start.await();
                while (!stop.get()) {
                    Set<Object> seen = new HashSet<>();
                    live.forEach(seen::add);
                    if (!seen.containsAll(pinned)) {
                        throw new AssertionError("a walk missed a run that stayed in");
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
    }

    private static void assertWalkSeesExactly(LiveRuns live, Set<Object> kept, Set<Object> pinned) {
        Set<Object> seen = new HashSet<>();
        live.forEach(seen::add);
        Set<Object> expected = new HashSet<>(kept);
        expected.addAll(pinned);
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void shouldDropChunksWhoseRunsAllEndedAndKeepThoseWithALiveRun() {
        shouldDropEmptiedChunks(false);
    }

    @Test
    void shouldDropChunksWhoseRunsAllEndedWhenOneThreadAdds() {
        shouldDropEmptiedChunks(true);
    }

    private static void shouldDropEmptiedChunks(boolean fromOwner) {
        LiveRuns live = new LiveRuns();
        ToIntFunction<Object> add = fromOwner ? live::addFromOwner : live::add;
        Object longRun = "long";
        add.applyAsInt(longRun); // stays in: its chunk is kept, and only that one
        for (int batch = 0; batch < 100; batch++) {
            int[] slots = new int[1000];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = add.applyAsInt(batch + "-" + i);
            }
            for (int slot : slots) {
                live.remove(slot);
            }
        }
        add.applyAsInt("last"); // fills no chunk: the chunks emptied so far are dropped as later ones fill

        // 100,002 runs went through 98 chunks; kept: the long run's, the one being filled, and at most the
        // one that filled last (emptied only after it filled)
        assertThat(live.chunksKept()).isBetween(2, 3);
        // a dropped chunk is what the next one is made of: the chunks made are about those kept at once
        assertThat(live.chunksMade()).isLessThanOrEqualTo(4);
        Set<Object> seen = new HashSet<>();
        live.forEach(seen::add);
        assertThat(seen).containsExactlyInAnyOrder(longRun, "last");
    }
}
