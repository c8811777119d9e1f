package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * Asks a member to prove that it holds the cluster secret before the runner places anything on it: the
 * member signs a fresh nonce together with its own id. A member that cannot is never used.
 */
final class Handshake implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    static final String PURPOSE = "weft-handshake";

    private final byte[] nonce;
    private transient HazelcastInstance member;

    Handshake(byte[] nonce) {
        this.nonce = nonce;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public byte[] call() {
        WorkerNode node = WorkerNode.of(member);
        return node.secret()
                .sign(
                        PURPOSE,
                        challenge(
                                nonce,
                                member.getCluster().getLocalMember().getUuid().toString()));
    }

    /** The bytes a member signs: the nonce, then the member's id. */
    static byte[] challenge(byte[] nonce, String memberId) {
        byte[] id = memberId.getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[nonce.length + id.length];
        System.arraycopy(nonce, 0, both, 0, nonce.length);
        System.arraycopy(id, 0, both, nonce.length, id.length);
        return both;
    }
}
