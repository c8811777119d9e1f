package dev.weft;

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
     * A task run that is ready to execute, as a runner sees it.
     *
     * <p>Implemented by the engine; runners call it, they do not implement it.
     */
    interface Call {

        /**
         * Returns the run's name, such as {@code say_hello-1a2b3c4d-0}.
         *
         * @return the name
         */
        String name();

        /**
         * Returns the call's priority: among calls waiting to start, higher ones start first.
         *
         * @return the priority; 0 by default
         */
        default int priority() {
            return 0;
        }

        /**
         * Returns the resources the call needs on its worker while it runs.
         *
         * @return the resources; none by default
         */
        default Resources resources() {
            return Resources.NONE;
        }

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
         * Ends the call {@code CRASHED} without running it, because the runner cannot run it.
         *
         * @param cause why
         */
        void crash(Throwable cause);
    }
}
