package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * What a runner asks of a worker: bytes signed with the cluster secret for that runner and for one purpose,
 * so that one runner's request is not another's, nor one kind of request another. The worker checks the
 * signature before it reads anything, and refuses the request if it does not match.
 *
 * <p>With its subclasses ({@link Batch}, {@link Collect}, {@link Cancel}) and {@link Handshake}, the only
 * classes a worker deserializes from the network.
 *
 * @param <T> what the worker answers
 */
abstract class SignedRequest<T> implements Callable<T>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String runner;
    private final byte[] body;
    private final byte[] signature;
    private transient HazelcastInstance member;

    SignedRequest(String runner, byte[] body, byte[] signature) {
        this.runner = runner;
        this.body = body;
        this.signature = signature;
    }

    /** The signature of {@code body} for a runner and a purpose. */
    static byte[] sign(ClusterSecret secret, String purpose, String runner, byte[] body) {
        return secret.sign(purpose + "/" + runner, body);
    }

    /** The purpose the request is signed for: the class's own, never a value from the network. */
    abstract String purpose();

    /** What the request is, for the line that refuses it, such as {@code a batch of calls}. */
    abstract String what();

    /** Does what the request asks, once its signature has checked. */
    abstract T handle(WorkerNode node, String runner, byte[] body) throws InterruptedException;

    @Override
    public final void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public final T call() throws InterruptedException {
        WorkerNode node = WorkerNode.of(member);
        if (!node.secret().verify(purpose() + "/" + runner, body, signature)) {
            throw node.refuse(what() + " whose signature does not match this cluster's secret");
        }
        return handle(node, runner, body);
    }
}
