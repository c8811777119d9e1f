package dev.weft.remote;

import java.io.Serial;

/**
 * Calls sent to a worker in one message: their bytes ({@link Wire#jobs}). The worker puts them in line and
 * answers at once; what happens to them comes back through {@link Collect}.
 */
final class Batch extends SignedRequest<Boolean> {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String PURPOSE = "weft-batch";

    /** A batch signed for the runner. */
    Batch(String runner, byte[] body, ClusterSecret secret) {
        this(runner, body, sign(secret, PURPOSE, runner, body));
    }

    /** A batch with the signature given, signed or not. */
    Batch(String runner, byte[] body, byte[] signature) {
        super(runner, body, signature);
    }

    @Override
    String purpose() {
        return PURPOSE;
    }

    @Override
    String what() {
        return "a batch of calls";
    }

    @Override
    Boolean handle(WorkerNode node, String runner, byte[] body) {
        node.jobs().accept(runner, Wire.readJobs(body));
        return Boolean.TRUE;
    }
}
