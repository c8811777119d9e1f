package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.weft.runner.CallEnvelope;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * What crosses to a worker for one call: the call's bytes ({@link CallEnvelope#request}), signed with the
 * cluster secret, and the resources it holds there. The only class, with {@link Handshake}, that a worker
 * deserializes from the network; the call inside is read only once its signature checks.
 *
 * <p>Its value is a {@link Reply}, what the call printed and its outcome ({@link CallEnvelope#execute}),
 * after its own signature.
 */
final class Envelope implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    static final String CALL = "weft-call";
    static final String OUTCOME = "weft-outcome";

    private final String run;
    private final byte[] payload;
    private final byte[] signature;
    private final String[] resourceNames;
    private final double[] amounts;
    private transient HazelcastInstance member;

    Envelope(String run, byte[] payload, byte[] signature, String[] resourceNames, double[] amounts) {
        this.run = run;
        this.payload = payload;
        this.signature = signature;
        this.resourceNames = resourceNames;
        this.amounts = amounts;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public byte[] call() throws InterruptedException {
        WorkerNode node = WorkerNode.of(member);
        if (!node.secret().verify(CALL, payload, signature)) {
            throw node.refuse("a call ('" + run + "') whose signature does not match this cluster's secret");
        }
        node.gate().acquire(resourceNames, amounts);
        byte[] outcome;
        byte[][] printed;
        CallOutput.begin();
        try {
            outcome = node.execute(run, payload);
        } finally {
            printed = CallOutput.end();
            node.gate().release(resourceNames, amounts);
        }
        return signed(node.secret(), new Reply(printed[0], printed[1], outcome));
    }

    /**
     * What comes back from a worker: what the call printed on standard output and standard error there, and
     * its outcome ({@link CallEnvelope#execute}).
     *
     * @param out what it printed on standard output
     * @param err what it printed on standard error
     * @param outcome the outcome's bytes
     */
    record Reply(byte[] out, byte[] err, byte[] outcome) {}

    /** Returns the reply behind its signature, as the runner reads it with {@link #opened}. */
    static byte[] signed(ClusterSecret secret, Reply reply) {
        ByteBuffer body = ByteBuffer.allocate(8 + reply.out.length + reply.err.length + reply.outcome.length);
        body.putInt(reply.out.length)
                .put(reply.out)
                .putInt(reply.err.length)
                .put(reply.err)
                .put(reply.outcome);
        byte[] bytes = body.array();
        byte[] mac = secret.sign(OUTCOME, bytes);
        byte[] both = Arrays.copyOf(mac, mac.length + bytes.length);
        System.arraycopy(bytes, 0, both, mac.length, bytes.length);
        return both;
    }

    /**
     * Returns the reply if its signature checks.
     *
     * @throws SecurityException if it does not, or the reply is malformed
     */
    static Reply opened(ClusterSecret secret, byte[] signed, String worker) {
        if (signed != null && signed.length >= ClusterSecret.SIGNATURE + 8) {
            byte[] mac = Arrays.copyOf(signed, ClusterSecret.SIGNATURE);
            byte[] bytes = Arrays.copyOfRange(signed, ClusterSecret.SIGNATURE, signed.length);
            if (secret.verify(OUTCOME, bytes, mac)) {
                ByteBuffer body = ByteBuffer.wrap(bytes);
                byte[] out = new byte[body.getInt()];
                body.get(out);
                byte[] err = new byte[body.getInt()];
                body.get(err);
                byte[] outcome = new byte[body.remaining()];
                body.get(outcome);
                return new Reply(out, err, outcome);
            }
        }
        throw new SecurityException(
                "the outcome from worker '" + worker + "' is not signed with this cluster's secret; it was not read");
    }
}
