package dev.weft.runner;

/**
 * What a task runner can do, declared once: the engine and the contract suite read it, as JCTools' queue
 * tests read a queue's spec, instead of guessing from the runner's class.
 *
 * @param parallel whether calls can run at the same time
 * @param callsLeaveThisJvm whether calls run in another JVM: their function, arguments and value are then
 *     serialized, and the engine hands each call over afresh every time it is placed
 * @param workersMayLeave whether a worker can vanish while calls run on it, handing them back as lost
 * @param submitsFromTasks whether a running call can submit tasks into its own flow run; where not, it is
 *     told so in one line when it tries
 */
public record RunnerSpec(
        boolean parallel, boolean callsLeaveThisJvm, boolean workersMayLeave, boolean submitsFromTasks) {

    /** One call at a time, on a thread of this JVM: the sequential runner. */
    public static final RunnerSpec IN_PROCESS_SERIAL = new RunnerSpec(false, false, false, true);

    /** Calls in parallel on threads of this JVM, which can submit tasks: the default. */
    public static final RunnerSpec IN_PROCESS_PARALLEL = new RunnerSpec(true, false, false, true);

    /**
     * Returns whether the engine hands each placement of a call over as its own value, so that a late
     * report from a placement that was lost is told apart from the current one.
     *
     * @return whether hand-overs are tracked
     */
    public boolean tracksHandovers() {
        return callsLeaveThisJvm || workersMayLeave;
    }
}
