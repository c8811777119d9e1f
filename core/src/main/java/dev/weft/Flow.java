package dev.weft;

import dev.weft.internal.Engine;
import dev.weft.internal.FlowSpec;
import dev.weft.spi.Scheduler;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A flow: plain Java code whose task calls Weft tracks as one flow run. Define flows once, typically as
 * constants, and call them:
 *
 * {@snippet :
 * static final Flow<Void> helloWorld = Flow.of("hello-flow", () -> {
 *     TaskFuture<String> future = sayHello.submit("Marvin");
 *     printResult.submit(future);
 * });
 *
 * public static void main(String[] args) {
 *     helloWorld.call();
 * }
 * }
 *
 * <p>Each call is a flow run with a fresh task runner: a copy of the one given to {@link
 * #withTaskRunner(TaskRunner)}, or a {@link ConcurrentTaskRunner} by default. The run starts the runner,
 * runs the body on the calling thread, waits until every task run it submitted is final, shuts the runner
 * down and ends in a state that covers all of them. A flow called inside a flow is a subflow run with a
 * runner of its own.
 *
 * <p>Flows are immutable and thread-safe; one flow may be called from many threads at once.
 *
 * @param <R> the type of the flow's value
 */
public final class Flow<R> {
    private final String name;
    private final Body<R> body;
    private final Supplier<? extends TaskRunner> runners;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final int dashboard;
    private final FlowSpec<R> spec;

    private Flow(String name, Body<R> body, Supplier<? extends TaskRunner> runners) {
        this(name, body, runners, null, null, FlowSpec.NO_DASHBOARD);
    }

    private Flow(
            String name, Body<R> body, Supplier<? extends TaskRunner> runners, Scheduler scheduler, Duration timeout) {
        this(name, body, runners, scheduler, timeout, FlowSpec.NO_DASHBOARD);
    }

    private Flow(
            String name,
            Body<R> body,
            Supplier<? extends TaskRunner> runners,
            Scheduler scheduler,
            Duration timeout,
            int dashboard) {
        this.name = name;
        this.body = body;
        this.runners = runners;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.dashboard = dashboard;
        this.spec = new FlowSpec<>(name, body::run, runners, scheduler, timeout, dashboard);
    }

    /**
     * Makes a flow whose body returns a value.
     *
     * @param name the flow's name, such as {@code hello-flow}
     * @param body its code
     * @param <R> the value type
     * @return the flow, with the default {@link ConcurrentTaskRunner}
     */
    public static <R> Flow<R> of(String name, Body<R> body) {
        return new Flow<>(name, Objects.requireNonNull(body, "body"), ConcurrentTaskRunner::new);
    }

    /**
     * Makes a flow whose body returns nothing.
     *
     * @param name the flow's name
     * @param body its code
     * @return the flow, with the default {@link ConcurrentTaskRunner}
     */
    public static Flow<Void> of(String name, Action body) {
        Objects.requireNonNull(body, "body");
        return new Flow<>(
                name,
                () -> {
                    body.run();
                    return null;
                },
                ConcurrentTaskRunner::new);
    }

    /**
     * Makes a flow whose body returns a value and whose runs use copies of {@code runner}: Prefect's
     * {@code @flow(task_runner=...)}.
     *
     * @param name the flow's name
     * @param runner the runner to copy for each run (see {@link #withTaskRunner(TaskRunner)})
     * @param body its code
     * @param <R> the value type
     * @return the flow
     */
    public static <R> Flow<R> of(String name, TaskRunner runner, Body<R> body) {
        return of(name, body).withTaskRunner(runner);
    }

    /**
     * Makes a flow whose body returns nothing and whose runs use copies of {@code runner}: Prefect's
     * {@code @flow(task_runner=...)}.
     *
     * @param name the flow's name
     * @param runner the runner to copy for each run (see {@link #withTaskRunner(TaskRunner)})
     * @param body its code
     * @return the flow
     */
    public static Flow<Void> of(String name, TaskRunner runner, Action body) {
        return of(name, body).withTaskRunner(runner);
    }

    /**
     * Returns this flow with another task runner. Each flow run uses its own {@link TaskRunner#duplicate()
     * copy} of {@code runner}; {@code runner} itself is never started.
     *
     * @param runner the runner to copy for each run
     * @return a copy of this flow
     */
    public Flow<R> withTaskRunner(TaskRunner runner) {
        Objects.requireNonNull(runner, "runner");
        return new Flow<>(name, body, runner::duplicate, scheduler, timeout, dashboard);
    }

    /**
     * Returns this flow with a time limit: a run still going after {@code timeout} ends {@code FAILED} with
     * a {@link java.util.concurrent.TimeoutException} that names the limit, and every run it submitted that
     * is not final is cancelled, queued and pending ones included, on every runner. The body's thread is
     * interrupted.
     *
     * @param timeout more than zero
     * @return a copy of this flow
     */
    public Flow<R> withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A flow's timeout must be more than zero, not " + timeout);
        }
        return new Flow<>(name, body, runners, scheduler, timeout, dashboard);
    }

    /**
     * Returns this flow serving the Weft dashboard while it runs, as the seed's Dask runner serves its own:
     * each run logs {@code The Weft dashboard is available at http://127.0.0.1:8787/}, where a browser
     * watches this process's flow runs live, with their task runs, and looks back at the run history. The
     * dashboard binds to 127.0.0.1, port 8787, or any free port if that one is taken, and stays up for the
     * process's later flow runs. Needs {@code dev.weft:weft-dashboard} on the path; without it the run logs
     * a warning that says so, and runs.
     *
     * @return a copy of this flow
     */
    public Flow<R> withDashboard() {
        return withDashboard(FlowSpec.DEFAULT_DASHBOARD_PORT);
    }

    /**
     * Returns this flow serving the Weft dashboard on a port of 127.0.0.1, as {@link #withDashboard()}.
     *
     * @param port the port, or 0 for any free one
     * @return a copy of this flow
     */
    public Flow<R> withDashboard(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("A dashboard's port is between 0 and 65535, not " + port);
        }
        return new Flow<>(name, body, runners, scheduler, timeout, port);
    }

    /**
     * Returns this flow with its own clock and timer for retry delays and timeouts, for tests that control
     * time. By default a flow uses the calling flow run's scheduler, else {@link Scheduler#system()}.
     *
     * @param scheduler the scheduler
     * @return a copy of this flow
     */
    public Flow<R> withScheduler(Scheduler scheduler) {
        return new Flow<>(name, body, runners, Objects.requireNonNull(scheduler, "scheduler"), timeout, dashboard);
    }

    /**
     * Returns this flow with a task runner of the given type, created with its default settings (through
     * its public no-argument constructor) for each flow run.
     *
     * @param type the runner's class
     * @return a copy of this flow
     * @throws IllegalArgumentException if the type has no public no-argument constructor
     */
    public Flow<R> withTaskRunner(Class<? extends TaskRunner> type) {
        Objects.requireNonNull(type, "type");
        Constructor<? extends TaskRunner> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    type.getName() + " has no public no-argument constructor; pass a configured instance instead", e);
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " is abstract; pass a concrete runner type");
        }
        return new Flow<>(name, body, () -> newRunner(constructor), scheduler, timeout, dashboard);
    }

    private static TaskRunner newRunner(Constructor<? extends TaskRunner> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new WeftException(
                    "Could not create " + constructor.getDeclaringClass().getName() + ": " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new WeftException(
                    "Could not create " + constructor.getDeclaringClass().getName(), e);
        }
    }

    /**
     * Returns the flow's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Runs the flow on the calling thread and returns its value. Blocks until the flow run has ended.
     *
     * @return the body's value
     * @throws RunFailedException if the flow run did not complete: its body threw (the cause), or one of
     *     its task runs or subflow runs did not complete (the cause is the first one's exception)
     */
    public R call() {
        return Engine.runFlow(spec).result();
    }

    /**
     * Runs the flow on the calling thread and returns its final state instead of throwing (Prefect's
     * {@code return_state=True}).
     *
     * @return the flow run's final state
     */
    public State<R> callForState() {
        return Engine.runFlow(spec);
    }

    /**
     * Starts a run of the flow on a thread of its own and returns at once, with a handle that can wait for
     * the run or cancel it.
     *
     * @return the running flow run
     */
    public FlowRunFuture<R> start() {
        return Engine.startFlow(spec);
    }

    @Override
    public String toString() {
        return "Flow '" + name + "'";
    }

    /**
     * A flow's code, returning a value.
     *
     * @param <R> the value type
     */
    @FunctionalInterface
    public interface Body<R> {
        /**
         * Runs the code.
         *
         * @return the value
         * @throws Exception whatever the code throws; the flow run then fails
         */
        R run() throws Exception;
    }

    /** A flow's code, returning nothing. */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs the code.
         *
         * @throws Exception whatever the code throws; the flow run then fails
         */
        void run() throws Exception;
    }
}
