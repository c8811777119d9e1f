package dev.weft.internal;

import java.time.Duration;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Property: threads that wait with a deadline and give up unlink themselves from the waiter stack while
 * dependents register and the node ends, without a registered dependent being lost or told twice. Run in
 * real time (stress), since the model checker's virtual clock never lets a deadline pass.
 */
public class NodeWaiterStressTest extends NodeLincheckTest {

    @Operation
    public boolean briefWait() {
        return node().await(Duration.ofNanos(1)).isPresent();
    }

    @Override
    @Test
    protected void modelCheck() {
        new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }
}
