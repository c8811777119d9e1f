package dev.weft.remote;

import java.io.Serial;

/**
 * A runner stops some of its calls on a worker (those in line never start, those running are
 * interrupted), or, with none named, says it has shut down: the worker forgets it.
 */
final class Cancel extends SignedRequest<Boolean> {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String SOME = "weft-cancel";
    private static final String ALL = "weft-cancel/all";

    private final boolean forget;

    private Cancel(String runner, byte[] body, ClusterSecret secret, boolean forget) {
        super(runner, body, sign(secret, forget ? ALL : SOME, runner, body));
        this.forget = forget;
    }

    /** Stops these calls of the runner ({@link Wire#ids}). */
    static Cancel calls(String runner, byte[] ids, ClusterSecret secret) {
        return new Cancel(runner, ids, secret, false);
    }

    /** Says the runner has shut down. */
    static Cancel runner(String runner, ClusterSecret secret) {
        return new Cancel(runner, new byte[0], secret, true);
    }

    @Override
    String purpose() {
        return forget ? ALL : SOME; // a flipped flag no longer matches its signature
    }

    @Override
    String what() {
        return "a cancel";
    }

    @Override
    Boolean handle(WorkerNode node, String runner, byte[] body) {
        if (forget) {
            node.jobs().forget(runner);
        } else {
            node.jobs().cancel(runner, Wire.readIds(body));
        }
        return Boolean.TRUE;
    }
}
