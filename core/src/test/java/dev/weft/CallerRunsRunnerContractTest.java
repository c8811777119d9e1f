package dev.weft;

import dev.weft.contract.FixedThreadsTaskRunner;
import dev.weft.contract.TaskRunnerContract;
import java.util.Map;

/**
 * The contract on two platform threads whose placement lets a waiting caller run the call it waits for:
 * priorities, resources, limits, timeouts and cancels mean the same whichever thread runs a call.
 */
final class CallerRunsRunnerContractTest extends TaskRunnerContract {

    @Override
    protected TaskRunner runner() {
        return new FixedThreadsTaskRunner(2, Map.of(), true);
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return new FixedThreadsTaskRunner(2, workerResources, true);
    }
}
