package dev.weft.internal;

/** Something waiting for a node to end: a downstream run, or a gathered future. */
interface Dependent {

    /**
     * Tells this dependent that {@code upstream} has reached its final state. Called once per
     * registration, on the thread that ended the upstream node. Must not block.
     *
     * @param upstream the node that ended
     * @return a node that ended because of this call (so its own waiters must be told), or null; returned
     *     rather than told here so that a long chain of failures unwinds in a loop, not on the stack
     */
    Node<?> upstreamFinished(Node<?> upstream);
}
