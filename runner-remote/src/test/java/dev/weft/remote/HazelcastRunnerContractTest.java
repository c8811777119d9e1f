package dev.weft.remote;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.contract.Shared;
import dev.weft.contract.TaskRunnerContract;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * The contract on real worker JVMs: a cluster of two workers x two threads, and one of one worker with the
 * resources a test asks for, started once for the suite (each is a temporary cluster, as a flow run's own
 * would be, so that forty flow runs do not start eighty JVMs) and joined by address by each flow run. The
 * workers reach the objects the tests share with their tasks through the test's bridge ({@link Shared}).
 */
final class HazelcastRunnerContractTest extends TaskRunnerContract {
    private static final ClusterSecret SECRET = ClusterSecret.random();
    private static final Map<Resources, LocalCluster> CLUSTERS = new ConcurrentHashMap<>();

    @Override
    protected TaskRunner runner() {
        return joining(Resources.NONE, 2);
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return joining(Resources.of(workerResources), 1); // one worker with them, as the contract says
    }

    @Override
    protected int scaleDivisor() {
        return 100;
    }

    private static TaskRunner joining(Resources resources, int workers) {
        LocalCluster cluster = CLUSTERS.computeIfAbsent(resources, r -> {
            LocalCluster c = new LocalCluster(
                    name(r),
                    "127.0.0.1",
                    SECRET,
                    2,
                    r,
                    List.of("-D" + Shared.BRIDGE_PROPERTY + "=" + Shared.serve()),
                    false);
            c.start(workers, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            return c;
        });
        return HazelcastTaskRunner.builder()
                .address(cluster.addresses().toArray(String[]::new))
                .clusterName(name(resources))
                .secret(SECRET)
                .build();
    }

    private static String name(Resources resources) {
        return "contract-" + Integer.toHexString(resources.hashCode());
    }

    @AfterAll
    static void stopClusters() {
        CLUSTERS.values().forEach(LocalCluster::close);
        CLUSTERS.clear();
    }
}
