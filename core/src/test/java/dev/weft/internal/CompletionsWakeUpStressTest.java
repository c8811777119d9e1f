package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Done;
import dev.weft.TaskFuture;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a consumer parked without a deadline, in {@code asCompleted} or {@code waitAll}, is woken for
 * every node that ends while it parks; a consumer left parked hangs a round and the timeout fails the
 * test. Run in real time: the model checker treats a park as free to wake spuriously, so it cannot see a
 * lost wake-up.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompletionsWakeUpStressTest {
    private static final int ROUNDS = 10_000;
    private static final int PRODUCERS = 3;

    @Test
    void shouldWakeAParkedIterationForEveryNodeThatEnds() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<TestNode> nodes = nodes();
                Iterator<TaskFuture<Integer>> it =
                        TaskFuture.<Integer>asCompleted(nodes).iterator();
                endConcurrently(pool, nodes);
                Set<TaskFuture<Integer>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                while (it.hasNext()) {
                    seen.add(it.next());
                }
                assertThat(seen).hasSize(PRODUCERS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldWakeAParkedWaitAllWhenTheLastNodeEnds() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<TestNode> nodes = nodes();
                endConcurrently(pool, nodes);
                Done<Integer> done = TaskFuture.waitAll(nodes);
                assertThat(done.done()).hasSize(PRODUCERS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<TestNode> nodes() {
        TestNode[] nodes = new TestNode[PRODUCERS];
        for (int i = 0; i < PRODUCERS; i++) {
            nodes[i] = new TestNode("n" + i);
        }
        return List.of(nodes);
    }

    /** Ends each node on a pool thread, all released at once. */
    private static void endConcurrently(ExecutorService pool, List<TestNode> nodes) {
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < nodes.size(); i++) {
            TestNode node = nodes.get(i);
            int value = i;
            pool.execute(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                node.completeWith(value);
            });
        }
        go.countDown();
    }
}
