package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import dev.weft.Resources;
import dev.weft.runner.CallEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker member knows while it serves calls: the cluster secret, its resources and its name. Kept in
 * the member's user context, where the calls that arrive find it.
 */
final class WorkerNode {
    static final String KEY = "dev.weft.worker";
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.worker");

    private final String name;
    private final ClusterSecret secret;
    private final ResourceGate gate;

    WorkerNode(String name, ClusterSecret secret, Resources resources) {
        this.name = name;
        this.secret = secret;
        this.gate = new ResourceGate(resources);
    }

    /**
     * Returns the worker node of a member.
     *
     * @throws SecurityException if the member is not a Weft worker
     */
    static WorkerNode of(HazelcastInstance member) {
        Object node = member == null ? null : member.getUserContext().get(KEY);
        if (node instanceof WorkerNode worker) {
            return worker;
        }
        throw new SecurityException("this member is not a Weft worker; it runs no Weft calls");
    }

    String name() {
        return name;
    }

    ClusterSecret secret() {
        return secret;
    }

    ResourceGate gate() {
        return gate;
    }

    /** Runs a call's checked bytes here; never throws. */
    byte[] execute(String run, byte[] payload) {
        return CallEnvelope.execute(payload);
    }

    /** Logs what was refused, and returns the exception the sender gets. */
    SecurityException refuse(String what) {
        LOG.warn("Worker '{}' refused {}", name, what);
        return new SecurityException("Weft worker '" + name + "' refused " + what);
    }
}
