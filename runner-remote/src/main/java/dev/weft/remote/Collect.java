package dev.weft.remote;

import java.io.Serial;
import java.util.List;

/**
 * A runner asks a worker what has happened to its calls: the worker answers, signed, with the calls that
 * started and those that ended (with what they printed and their outcome) since the last time, waiting up
 * to a second for something to happen. The runner asks again as soon as it has the answer, so results
 * stream back in batches as large as the load makes them. The request has no body; one signed request
 * serves a runner's every collect from a worker.
 */
final class Collect extends SignedRequest<byte[]> {
    @Serial
    private static final long serialVersionUID = 1L;

    static final long WAIT_MILLIS = 1000;

    private static final String PURPOSE = "weft-collect";

    Collect(String runner, ClusterSecret secret) {
        super(runner, new byte[0], sign(secret, PURPOSE, runner, new byte[0]));
    }

    @Override
    String purpose() {
        return PURPOSE;
    }

    @Override
    String what() {
        return "a request for results";
    }

    @Override
    byte[] handle(WorkerNode node, String runner, byte[] body) throws InterruptedException {
        List<Wire.Event> events = node.jobs().collect(runner, WAIT_MILLIS);
        return Wire.signedEvents(node.secret(), runner, events);
    }
}
