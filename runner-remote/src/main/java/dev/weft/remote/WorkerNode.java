package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import dev.weft.Resources;
import dev.weft.runner.Accelerator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a worker member knows while it serves calls: the cluster secret, its resources, its name and its
 * calls. Kept in the member's user context, where the messages that arrive find it.
 */
final class WorkerNode {
    static final String KEY = "dev.weft.worker";
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.worker");

    private final String name;
    private final ClusterSecret secret;
    private final ResourceGate gate;
    private final Jobs jobs;

    WorkerNode(String name, ClusterSecret secret, Resources resources, int threads, List<Accelerator> devices) {
        this.name = name;
        this.secret = secret;
        this.gate = new ResourceGate(resources, devices);
        this.jobs = new Jobs(this, threads);
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

    Jobs jobs() {
        return jobs;
    }

    /** Logs what was refused, and returns the exception the sender gets. */
    SecurityException refuse(String what) {
        LOG.warn("Worker '{}' refused {}", name, what);
        return new SecurityException("Weft worker '" + name + "' refused " + what);
    }
}
