package dev.weft;

import dev.weft.contract.BytesTaskRunner;
import dev.weft.contract.TaskRunnerContract;
import java.util.Map;

/**
 * The contract on a runner whose calls travel as bytes, as they do to another JVM: every state, log line
 * and future must be what the in-process runners give. It skips only what its spec says it lacks.
 */
final class BytesRunnerContractTest extends TaskRunnerContract {

    @Override
    protected TaskRunner runner() {
        return new BytesTaskRunner(2, 2);
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return new BytesTaskRunner(1, 2, workerResources); // one worker with them, as the contract says
    }
}
