package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A runner stops some of its calls on a worker (those in line never start, those running are
 * interrupted), or, with none named, says it has shut down: the worker forgets it.
 */
final class Cancel implements Callable<Boolean>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String runner;
    private final byte[] body;
    private final byte[] signature;
    private final boolean forget;
    private transient HazelcastInstance member;

    Cancel(String runner, byte[] body, byte[] signature, boolean forget) {
        this.runner = runner;
        this.body = body;
        this.signature = signature;
        this.forget = forget;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public Boolean call() {
        WorkerNode node = WorkerNode.of(member);
        if (!Wire.verify(node.secret(), forget ? Wire.CANCEL + "/all" : Wire.CANCEL, runner, body, signature)) {
            throw node.refuse("a cancel whose signature does not match this cluster's secret");
        }
        if (forget) {
            node.jobs().forget(runner);
        } else {
            node.jobs().cancel(runner, Wire.readIds(body));
        }
        return Boolean.TRUE;
    }
}
