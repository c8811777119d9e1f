package dev.weft.examples.seed;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The subflow examples print the logs of the seed pages, as the pages print them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MultipleTaskRunnersTest {

    /** Seed page 001, "Using multiple task runners", verbatim. */
    private static final String SEQUENTIAL_FLOW_LOG =
            """
            13:46:58.865 | Beginning flow run 'olivine-swan' for flow 'sequential-flow'...
            13:46:58.866 | Starting task runner `SequentialTaskRunner`...
            13:46:58.934 | Submitting task run 'hello_local-a087a829-0' to task runner...
            Hello!
            13:46:58.955 | Task run 'hello_local-a087a829-0' finished in state Completed(message=None, type=COMPLETED)
            13:46:58.981 | Beginning subflow run 'discreet-peacock' for flow 'dask-subflow'...
            13:46:58.981 | Starting task runner `DaskTaskRunner`...
            13:46:58.981 | Creating a new Dask cluster with `distributed.deploy.local.LocalCluster`
            13:46:59.339 | The Dask dashboard is available at http://127.0.0.1:8787/status
            13:46:59.369 | Submitting task run 'hello_dask-e80d21db-0' to task runner...
            Hello from Dask!
            13:47:00.066 | Task run 'hello_dask-e80d21db-0' finished in state Completed(message=None, type=COMPLETED)
            13:47:00.070 | Shutting down task runner `DaskTaskRunner`...
            13:47:00.294 | Subflow run 'discreet-peacock' finished in state Completed(message='All states completed.', type=COMPLETED)
            13:47:00.305 | Submitting task run 'hello_local-a087a829-1' to task runner...
            Hello!
            13:47:00.325 | Task run 'hello_local-a087a829-1' finished in state Completed(message=None, type=COMPLETED)
            13:47:00.326 | Shutting down task runner `SequentialTaskRunner`...
            13:47:00.334 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
            """;

    /** Seed page 000, "Using multiple task runners", verbatim. */
    private static final String MY_FLOW_LOG =
            """
            13:46:58.865 | Beginning flow run 'olivine-swan' for flow 'my-flow'...
            13:46:58.866 | Starting task runner `SequentialTaskRunner`...
            13:46:58.934 | Submitting task run 'hello_local-a087a829-0' to task runner...
            Hello!
            13:46:58.955 | Task run 'hello_local-a087a829-0' finished in state Completed(message=None, type=COMPLETED)
            13:46:58.981 | Beginning subflow run 'discreet-peacock' for flow 'my-subflow'...
            13:46:58.981 | Starting task runner `DaskTaskRunner`...
            13:46:58.981 | Creating a new Dask cluster with `distributed.deploy.local.LocalCluster`
            13:46:59.339 | The Dask dashboard is available at http://127.0.0.1:8787/status
            13:46:59.369 | Submitting task run 'hello_dask-e80d21db-0' to task runner...
            Hello from Dask!
            13:47:00.066 | Task run 'hello_dask-e80d21db-0' finished in state Completed(message=None, type=COMPLETED)
            13:47:00.070 | Shutting down task runner `DaskTaskRunner`...
            13:47:00.294 | Subflow run 'discreet-peacock' finished in state Completed(message='All states completed.', type=COMPLETED)
            13:47:00.305 | Submitting task run 'hello_local-a087a829-1' to task runner...
            Hello!
            13:47:00.325 | Task run 'hello_local-a087a829-1' finished in state Completed(message=None, type=COMPLETED)
            13:47:00.326 | Shutting down task runner `SequentialTaskRunner`...
            13:47:00.334 | Flow run 'olivine-swan' finished in state Completed(message='All states completed.', type=COMPLETED)
            """;

    @Test
    void shouldLogLikeSeedWhenSequentialFlowCallsSubflow() throws Exception {
        SeedLog.assertMatches(Transcript.of(() -> MultipleTaskRunners.main(new String[0])), SEQUENTIAL_FLOW_LOG);
    }

    @Test
    void shouldLogLikeFirstSeedPageWhenMyFlowCallsMySubflow() throws Exception {
        SeedLog.assertMatches(Transcript.of(() -> MyFlowAndSubflow.main(new String[0])), MY_FLOW_LOG);
    }
}
