package dev.weft;

import dev.weft.runner.RunnerSpec;
import dev.weft.runner.TaskFunction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Places and executes task runs that are ready. The engine owns everything else (dependencies, states,
 * logs, retries), so every runner gives the same results; a runner only decides where and when a ready
 * call runs.
 *
 * <p>A flow run owns its runner: it makes one with {@link #duplicate()} from the runner the flow was
 * given, starts it at the beginning of the run, and shuts it down when the body has returned and every
 * run it submitted is final.
 *
 * <p>Implementations must be thread-safe: {@link #submit} is called from any thread, including from
 * inside running calls.
 */
public interface TaskRunner {

    /**
     * Returns the name printed in the flow run's logs, such as {@code SequentialTaskRunner}.
     *
     * @return the name; the simple class name by default
     */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Describes what the runner set up, in one line logged after it has started, such as the size of a
     * local cluster; null for nothing.
     *
     * @return the line, or null (the default)
     */
    default String describe() {
        return null;
    }

    /**
     * Starts the runner. Called once, by the flow run, before anything is submitted.
     *
     * @throws IllegalStateException if the runner was started before
     */
    void start();

    /**
     * Hands the runner a call whose inputs are all ready. The runner must, exactly once, either {@link
     * Call#run run} it on a thread of its choosing or {@link Call#crash crash} it. Never blocks on the
     * call itself. Among calls waiting to start, a higher {@link Call#priority()} starts first and equal
     * priorities keep the order of {@code submit}; a call starts where its {@link Call#resources()} are
     * free, and they stay reserved until it ends.
     *
     * @param call the call
     * @throws IllegalStateException if the runner has not been started or has been shut down; the engine
     *     then ends the call {@code CRASHED}
     * @throws IllegalArgumentException if no worker of the runner could ever run the call (it needs
     *     resources that none has); the engine then ends the call {@code CRASHED} with this message
     */
    void submit(Call call);

    /**
     * Shuts the runner down: it accepts nothing more. Called once, by the flow run, after every run it
     * submitted is final.
     */
    void shutdown();

    /**
     * Returns a new, unstarted runner with the same settings: each flow run gets its own.
     *
     * @return the copy
     */
    TaskRunner duplicate();

    /**
     * Declares what the runner can do, for the engine and for the contract suite that checks it.
     *
     * @return the spec; by default, calls run in parallel on threads of this JVM and may submit tasks
     */
    default RunnerSpec spec() {
        return RunnerSpec.IN_PROCESS_PARALLEL;
    }

    /**
     * Tells the runner that a call it was given has ended without it: cancelled, timed out, or its flow run
     * stopped. A runner that runs calls elsewhere stops it there; one that runs them on this JVM's threads
     * has nothing to do (the engine interrupts the call's thread itself). Called at most once per call and
     * hand-over, never under a lock, from any thread.
     *
     * @param call the call, ended
     * @param why why, as the run's final state says it, such as {@code Task run exceeded timeout of 1
     *     seconds}
     */
    default void stop(Call call, String why) {}

    /**
     * The identity of a task: its name and the key that names its runs.
     *
     * @param name the task's name, such as {@code say_hello}
     * @param key 8 hex digits, the same in every JVM for the same name
     */
    record TaskIdentity(String name, String key) {}

    /**
     * A task run that is ready to execute, as a runner sees it: a value that says what to run, with what,
     * where and by when, and through which the runner reports the outcome.
     *
     * <p>A runner does one of two things with a call, exactly once per hand-over. It {@link #run runs} it on a
     * thread of this JVM; or it runs it elsewhere and ends it itself: {@link #started()} when it starts
     * there, then {@link #complete} with the value or {@link #fail} with the task's exception, or {@link
     * #lost} if the worker it ran on is gone. {@link #crash} ends a call the runner cannot run at all.
     *
     * <p>Implemented by the engine; runners call it, they do not implement it.
     */
    interface Call {

        /**
         * Returns the run's id, unique among all runs.
         *
         * @return the id
         */
        UUID id();

        /**
         * Returns the run's name, such as {@code say_hello-1a2b3c4d-0}.
         *
         * @return the name
         */
        String name();

        /**
         * Returns which task this is a call of.
         *
         * @return the task's identity
         */
        TaskIdentity task();

        /**
         * Returns the task's function, which a runner that runs the call in another JVM ships there; it is
         * {@link java.io.Serializable}.
         *
         * @return the function
         */
        TaskFunction function();

        /**
         * Returns whether the function's value is a {@code CompletionStage} whose value is the task's.
         *
         * @return whether the task is asynchronous
         */
        boolean async();

        /**
         * Returns the call's arguments, each future replaced by its value. Resolved on the first call.
         *
         * @return the arguments, in order; a new array each time
         */
        Object[] arguments();

        /**
         * Returns the call's priority: among calls waiting to start, higher ones start first.
         *
         * @return the priority; 0 by default
         */
        int priority();

        /**
         * Returns the resources the call needs on its worker while it runs.
         *
         * @return the resources
         */
        Resources resources();

        /**
         * Returns the tags the call carries; the engine has taken their concurrency slots already.
         *
         * @return the tags, without repeats
         */
        List<String> tags();

        /**
         * Returns when the call's current try times out, or null if it has no timeout. Known once the call
         * has {@link #started() started}; the engine ends the try then, and tells the runner ({@link
         * TaskRunner#stop}).
         *
         * @return the deadline, or null
         */
        Instant deadline();

        /**
         * Runs the call on the calling thread: the run moves to {@code RUNNING}, the task's code runs,
         * and the run ends in its final state. Never throws.
         *
         * <p>A task whose code returns a {@code CompletionStage} has not ended when its code returns; the
         * run ends when the stage does, without holding this thread. Then this method returns false and,
         * later, calls {@code whenFinal} once, on the thread that completed the stage.
         *
         * @param whenFinal called once the run is final, if it was not final on return; may be null
         * @return true if the run was final on return (then {@code whenFinal} is never called)
         */
        boolean run(Runnable whenFinal);

        /**
         * For a call run elsewhere: it starts there now. The run moves to {@code RUNNING}, and its timeout,
         * if any, starts.
         *
         * @return true if it may run; false if it has ended meanwhile (cancelled, say), or this hand-over
         *     is stale (the call was lost and handed over again): then it must not run
         */
        boolean started();

        /**
         * For a call run elsewhere: its function returned {@code value}. The run completes, unless it had
         * ended meanwhile.
         *
         * @param value the value
         */
        void complete(Object value);

        /**
         * For a call run elsewhere: its function threw. The run fails, or awaits a retry as its policy
         * says, as if it had thrown here.
         *
         * @param error what the function threw
         */
        void fail(Throwable error);

        /**
         * For a call run elsewhere: the worker it was placed or running on is gone. The run goes back to
         * waiting and is handed over again, up to a limit per run, then ends {@code CRASHED} naming the
         * workers; a lost try does not count as one of its retries.
         *
         * @param worker the worker's name
         * @param cause what happened to it
         */
        void lost(String worker, Throwable cause);

        /**
         * Ends the call {@code CRASHED} without running it, because the runner cannot run it.
         *
         * @param cause why
         */
        void crash(Throwable cause);
        /**
         * Lets a thread that waits for this call's run run it, instead of parking until a thread of the
         * runner has: a thread that waits for the run without a time limit, outside any task run of its
         * own, runs {@code here} itself. That saves the two thread hand-offs of a call its caller waits for
         * at once (there and back), which is most of the cost of a short call, such as a small kernel on a
         * device. {@code here} must run the call at most once, whichever thread gets to it first (the
         * runner's or the waiter's), and do nothing on the other; the runner still holds the call's slot
         * and resources while it runs, whichever thread runs it.
         *
         * @param here runs the call on the calling thread, unless another thread took it first
         * @return whether the calling thread is one that may wait for the run and run it: a thread outside
         *     any task run, such as a flow's body submitting it (a thread that ends a run and so submits the
         *     runs waiting for it is not); a runner may then hold the call for it a moment before it wakes a
         *     thread of its own
         */
        boolean offerToWaiter(Runnable here);
    }
}
