package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * Calls sent to a worker in one message: their bytes ({@link Wire#jobs}), signed with the cluster secret
 * for the runner that sends them. The worker reads them only once the signature checks, puts them in line
 * and answers at once; what happens to them comes back through {@link Collect}.
 *
 * <p>With {@link Collect}, {@link Cancel} and {@link Handshake}, the only classes a worker deserializes from
 * the network.
 */
final class Batch implements Callable<Boolean>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String runner;
    private final byte[] body;
    private final byte[] signature;
    private transient HazelcastInstance member;

    Batch(String runner, byte[] body, byte[] signature) {
        this.runner = runner;
        this.body = body;
        this.signature = signature;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public Boolean call() {
        WorkerNode node = WorkerNode.of(member);
        if (!Wire.verify(node.secret(), Wire.BATCH, runner, body, signature)) {
            throw node.refuse("a batch of calls whose signature does not match this cluster's secret");
        }
        node.jobs().accept(runner, Wire.readJobs(body));
        return Boolean.TRUE;
    }
}
