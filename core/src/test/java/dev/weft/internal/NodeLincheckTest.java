package dev.weft.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property: a node ends once (one completion wins), and every dependent whose registration succeeded is
 * told exactly once, after the final state is visible; a registration that fails means the node had
 * already ended. (Timed waiters are checked by {@link NodeWaiterStressTest}: the model checker runs on
 * virtual time, where a timed wait never times out.)
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public class NodeLincheckTest {
    private final TestNode node = new TestNode("n");
    private final ConcurrentLinkedQueue<Probe> registered = new ConcurrentLinkedQueue<>();

    /**
     * Registers a dependent. A registration may succeed just after the final state became visible (the
     * waiter stack is swapped a moment later); what matters is that it is then told once, and that a
     * refused registration means the node had ended.
     */
    @Operation
    public void register() {
        Probe probe = new Probe();
        if (node.addDependent(probe)) {
            registered.add(probe);
        } else if (!node.isDone()) {
            throw new AssertionError("a registration was refused by a node that has not ended");
        }
    }

    @Operation
    public boolean complete() {
        return node.completeWith(7);
    }

    @Operation
    public boolean fail() {
        return node.failWith("no");
    }

    @Operation
    public boolean isDone() {
        return node.isDone();
    }

    /** For subclasses that add operations. */
    protected final TestNode node() {
        return node;
    }

    @Validate
    public void everyRegisteredDependentIsToldExactlyOnce() {
        int expected = node.isDone() ? 1 : 0;
        for (Probe probe : registered) {
            if (probe.told.get() != expected) {
                throw new AssertionError("a dependent was told " + probe.told.get() + " times, expected " + expected);
            }
            if (expected == 1 && !probe.sawFinalState) {
                throw new AssertionError("a dependent was told before the final state was visible");
            }
        }
    }

    @Test
    protected void modelCheck() {
        new ModelCheckingOptions()
                .iterations(20)
                .invocationsPerIteration(500)
                .threads(3)
                .actorsPerThread(2)
                .check(getClass());
    }

    private static final class Probe implements Dependent {
        final AtomicInteger told = new AtomicInteger();
        volatile boolean sawFinalState;

        @Override
        public Node<?> upstreamFinished(Node<?> upstream) {
            sawFinalState = upstream.isDone() && upstream.finalState() != null;
            told.incrementAndGet();
            return null;
        }
    }
}
