package dev.weft.examples.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.examples.testing.SeedLog;
import dev.weft.examples.testing.Transcript;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The subflow on a temporary cluster prints the log of the seed page, with a worker JVM for Dask's cluster. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSubflowTest {

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

    @Test
    void shouldLogLikeSeedWithTheSubflowOnATemporaryClusterOfOneWorkerJvm() throws Exception {
        SeedLog.assertMatches(
                Transcript.of(() -> ClusterSubflow.main(new String[0])),
                SEQUENTIAL_FLOW_LOG,
                SeedLog.temporaryCluster(1));
    }

    @Test
    void shouldStopTheWorkerJvmWhenTheSubflowRunEnds() throws Exception {
        Transcript.of(() -> ClusterSubflow.main(new String[0]));

        assertThat(ProcessHandle.current().children()).isEmpty();
    }
}
