package dev.weft;

import dev.weft.contract.FixedThreadsTaskRunner;
import dev.weft.contract.TaskRunnerContract;
import java.util.Map;

/** The contract on a pool of two platform threads: no run ever holds a thread while it waits for inputs. */
final class FixedThreadsRunnerContractTest extends TaskRunnerContract {

    @Override
    protected TaskRunner runner() {
        return new FixedThreadsTaskRunner(2);
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return new FixedThreadsTaskRunner(2, workerResources);
    }
}
