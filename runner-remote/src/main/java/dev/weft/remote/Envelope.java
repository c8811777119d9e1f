package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import dev.weft.runner.CallEnvelope;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * What crosses to a worker for one call: the call's bytes ({@link CallEnvelope#request}), signed with the
 * cluster secret, and the resources it holds there. The only class, with {@link Handshake}, that a worker
 * deserializes from the network; the call inside is read only once its signature checks.
 *
 * <p>Its value is the outcome's bytes ({@link CallEnvelope#execute}) after their own signature.
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
        try {
            outcome = node.execute(run, payload);
        } finally {
            node.gate().release(resourceNames, amounts);
        }
        return signed(node.secret(), outcome);
    }

    /** Returns the outcome behind its signature, as the runner reads it with {@link #opened}. */
    static byte[] signed(ClusterSecret secret, byte[] outcome) {
        byte[] mac = secret.sign(OUTCOME, outcome);
        byte[] both = Arrays.copyOf(mac, mac.length + outcome.length);
        System.arraycopy(outcome, 0, both, mac.length, outcome.length);
        return both;
    }

    /**
     * Returns the outcome's bytes if their signature checks.
     *
     * @throws SecurityException if it does not
     */
    static byte[] opened(ClusterSecret secret, byte[] signed, String worker) {
        if (signed != null && signed.length >= ClusterSecret.SIGNATURE) {
            byte[] mac = Arrays.copyOf(signed, ClusterSecret.SIGNATURE);
            byte[] outcome = Arrays.copyOfRange(signed, ClusterSecret.SIGNATURE, signed.length);
            if (secret.verify(OUTCOME, outcome, mac)) {
                return outcome;
            }
        }
        throw new SecurityException(
                "the outcome from worker '" + worker + "' is not signed with this cluster's secret; it was not read");
    }
}
