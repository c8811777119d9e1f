package dev.weft.remote;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A runner asks a worker what has happened to its calls: the worker answers, signed, with the calls that
 * started and those that ended (with what they printed and their outcome) since the last time, waiting up
 * to a second for something to happen. The runner asks again as soon as it has the answer, so results
 * stream back in batches as large as the load makes them.
 */
final class Collect implements Callable<byte[]>, Serializable, HazelcastInstanceAware {
    @Serial
    private static final long serialVersionUID = 1L;

    static final long WAIT_MILLIS = 1000;

    private final String runner;
    private final byte[] signature;
    private transient HazelcastInstance member;

    Collect(String runner, byte[] signature) {
        this.runner = runner;
        this.signature = signature;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance member) {
        this.member = member;
    }

    @Override
    public byte[] call() throws InterruptedException {
        WorkerNode node = WorkerNode.of(member);
        if (!Wire.verify(node.secret(), Wire.COLLECT, runner, new byte[0], signature)) {
            throw node.refuse("a request for results whose signature does not match this cluster's secret");
        }
        List<Wire.Event> events = node.jobs().collect(runner, WAIT_MILLIS);
        return Wire.signedEvents(node.secret(), runner, events);
    }
}
