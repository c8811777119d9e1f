package dev.weft.internal;

import dev.weft.FlowRunFuture;
import dev.weft.Resources;
import dev.weft.State;
import dev.weft.TaskFuture;
import dev.weft.TaskRunner;
import dev.weft.WeftException;
import dev.weft.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** The entry points the public API calls: submit a task, call it in place, run a flow. */
public final class Engine {
    /** How long a flow run waits, at its end, for the bodies of runs it cancelled while they ran. */
    private static final Duration STRAY_GRACE = Duration.ofSeconds(1);

    private Engine() {}

    /**
     * Submits a call of a task to the current flow run's runner. Never blocks.
     *
     * @param spec the task
     * @param options runs that must end first, priority, resources and tags
     * @param args the arguments, possibly holding futures
     * @param <T> the value type
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public static <T> TaskFuture<T> submit(TaskSpec spec, CallOptions options, Object[] args) {
        return submitHeld(spec, options, spec.single() ? args[0] : args);
    }

    /**
     * Submits a call of a task of one argument, as {@link #submit} does, without an argument array where
     * the task's body takes the argument itself ({@link TaskSpec#single()}).
     *
     * @param spec the task
     * @param options runs that must end first, priority, resources and tags
     * @param arg the argument, possibly holding futures
     * @param <T> the value type
     * @return the run's future
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public static <T> TaskFuture<T> submitOne(TaskSpec spec, CallOptions options, Object arg) {
        return submitHeld(spec, options, spec.single() ? arg : new Object[] {arg});
    }

    /** Submits a call whose arguments are as a run holds them (see {@link TaskSpec#single()}). */
    private static <T> TaskFuture<T> submitHeld(TaskSpec spec, CallOptions options, Object args) {
        FlowRun flow = Context.flowRun();
        if (flow == null) {
            Context.refuseElsewhere("submit task '" + spec.name() + "'");
            throw new IllegalStateException(outsideFlow(spec));
        }
        Node<?>[] waitFor = options.waitFor();
        // The most common input, a task's one argument that is a future, needs no array of upstream runs.
        Node<?> only = spec.single() && waitFor.length == 0 && args instanceof TaskFuture<?> f ? Inputs.node(f) : null;
        Node<?>[] upstream = only != null ? null : Inputs.collect(spec, args, waitFor);
        int priority = options.effectivePriority();
        Resources resources = options.effectiveResources();
        TaskRun<T> run = newRun(flow, spec, options, args, priority, resources, null, Event.Kind.TASK_SUBMITTED);
        if (!run.isDone()) {
            if (only != null) {
                run.submit(only);
            } else {
                run.submit(upstream);
            }
        }
        return run;
    }

    /** Says why a submit found no flow run, and what to do. */
    private static String outsideFlow(TaskSpec spec) {
        if (ProcessStop.liveFlowRuns() == 0) {
            return "Task '" + spec.name() + "' was submitted outside of a flow run. Submit tasks from inside a flow;"
                    + " outside one, call() runs a task as a plain function.";
        }
        return "Task '" + spec.name() + "' was submitted from thread '"
                + Thread.currentThread().getName()
                + "', which no flow run runs on: a flow run follows its body and its tasks, not threads they start"
                + " or borrow (a parallel stream, an executor). Submit from the flow's body or a task, use"
                + " task.map(...) for one run per element, or carry the flow run to that thread with"
                + " FlowContext.current().wrap(...).";
    }

    /**
     * Returns what the calling thread works for (a flow run, or a task run in one), for {@link
     * dev.weft.FlowContext}.
     *
     * @return the context, or null outside a flow run
     */
    public static Object captureContext() {
        return Context.current();
    }

    /**
     * Returns the name of the flow run a captured context belongs to.
     *
     * @param captured what {@link #captureContext()} returned
     * @return the flow run's name
     */
    public static String flowRunName(Object captured) {
        return Context.flowRunOf(captured).name();
    }

    /**
     * Makes a captured context the calling thread's own, until {@link #restoreContext}.
     *
     * @param captured what {@link #captureContext()} returned
     * @return what the thread worked for before, for {@link #restoreContext}
     */
    public static Object enterContext(Object captured) {
        return Context.enter(captured);
    }

    /**
     * Marks the calling thread as running a call that left its flow run's process, until {@link
     * #restoreContext}: submitting a task, calling one, or running a flow there fails with one line saying
     * why, instead of starting work no flow run would track.
     *
     * @param run the name of the task run being run
     * @return what the thread worked for before, for {@link #restoreContext}
     */
    public static Object enterElsewhere(String run) {
        return Context.enter(new Context.Elsewhere(run));
    }

    /**
     * Gives the calling thread back the context it had before {@link #enterContext}.
     *
     * @param previous what {@link #enterContext} returned
     */
    public static void restoreContext(Object previous) {
        Context.restore(previous);
    }

    /**
     * Calls a task in place: inside a flow run, as a task run on the calling thread; outside one, as a
     * plain function.
     *
     * @param spec the task
     * @param options runs that must end first, and tags (priority and resources only concern submitted
     *     calls)
     * @param args the arguments, possibly holding futures
     * @param <T> the value type
     * @return the task's value
     * @throws dev.weft.RunFailedException inside a flow run, if the run did not complete
     */
    public static <T> T call(TaskSpec spec, CallOptions options, Object[] args) {
        return callHeld(spec, options, spec.single() ? args[0] : args);
    }

    /**
     * Calls a task of one argument in place, as {@link #call} does, without an argument array where the
     * task's body takes the argument itself ({@link TaskSpec#single()}).
     *
     * @param spec the task
     * @param options runs that must end first, and tags
     * @param arg the argument, possibly holding futures
     * @param <T> the value type
     * @return the task's value
     * @throws dev.weft.RunFailedException inside a flow run, if the run did not complete
     */
    public static <T> T callOne(TaskSpec spec, CallOptions options, Object arg) {
        return callHeld(spec, options, spec.single() ? arg : new Object[] {arg});
    }

    /** Calls a task in place with its arguments as a run holds them (see {@link TaskSpec#single()}). */
    private static <T> T callHeld(TaskSpec spec, CallOptions options, Object args) {
        FlowRun flow = Context.flowRun();
        if (flow == null) {
            Context.refuseElsewhere("call task '" + spec.name() + "'");
        }
        Node<?>[] upstream = Inputs.collect(spec, args, options.waitFor());
        if (flow == null) {
            return callPlain(spec, upstream, args);
        }
        TaskRun<T> run =
                newRun(flow, spec, options, args, 0, Resources.NONE, Context.taskRun(), Event.Kind.TASK_IN_PLACE);
        if (!run.isDone()) {
            run.runInPlace(upstream);
        }
        return run.resultNow();
    }

    /**
     * Makes a task run in a flow run, tracked so that a cancel reaches it, and records its event. In a flow
     * run that has been cancelled, the run ends cancelled at once: a cancelled flow run starts nothing new.
     */
    private static <T> TaskRun<T> newRun(
            FlowRun flow,
            TaskSpec spec,
            CallOptions options,
            Object args,
            int priority,
            Resources resources,
            TaskRun<?> inPlaceCaller,
            Event.Kind kind) {
        String[] tags = options.effectiveTags();
        boolean body = flow.runStarted();
        TaskRun<T> run = new TaskRun<>(
                spec,
                flow,
                flow.nextIndex(spec.key()),
                args,
                priority,
                resources,
                tags,
                inPlaceCaller,
                kind == Event.Kind.TASK_IN_PLACE,
                options.retries(),
                options.timeout());
        run.liveSlot = flow.track(run, body);
        Counters.RunnerCounts counts = flow.counts;
        if (counts != null) {
            counts.submitted.add(1);
        }
        flow.recorder().record(kind, run, null);
        String cancelled = flow.cancelledBy();
        if (cancelled != null) {
            run.cancel(cancelled);
        }
        return run;
    }

    @SuppressWarnings("unchecked")
    private static <T> T callPlain(TaskSpec spec, Node<?>[] upstream, Object args) {
        for (Node<?> node : upstream) {
            node.await().result();
        }
        Object value;
        try {
            value = spec.invoke(Inputs.resolve(spec, args));
            if (spec.async()) {
                value = ((CompletionStage<?>) value).toCompletableFuture().join();
            }
        } catch (CompletionException e) {
            throw rethrow(spec, e.getCause() == null ? e : e.getCause());
        } catch (Exception e) {
            throw rethrow(spec, e);
        }
        return (T) value;
    }

    private static RuntimeException rethrow(TaskSpec spec, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new WeftException("Task '" + spec.name() + "' threw " + t, t);
    }

    /**
     * Runs a flow on the calling thread: as a subflow when called inside another flow run.
     *
     * @param spec the flow
     * @param <R> the value type
     * @return the flow run's final state
     */
    public static <R> State<R> runFlow(FlowSpec<R> spec) {
        FlowRun run = prepare(spec);
        return execute(spec, run);
    }

    /**
     * Starts a run of a flow on a thread of its own: as a subflow when called inside another flow run.
     *
     * @param spec the flow
     * @param <R> the value type
     * @return the running flow run
     */
    public static <R> FlowRunFuture<R> startFlow(FlowSpec<R> spec) {
        FlowRun run = prepare(spec);
        FlowHandle<R> handle = new FlowHandle<>(run);
        Thread.ofPlatform().name("weft-flow-" + run.name()).daemon(false).start(() -> handle.ended(execute(spec, run)));
        return handle;
    }

    private static <R> FlowRun prepare(FlowSpec<R> spec) {
        FlowRun parent = Context.flowRun();
        if (parent == null) {
            Context.refuseElsewhere("run flow '" + spec.name() + "'");
        }
        if (parent != null) {
            parent.runStarted();
        }
        Recorder recorder = parent != null ? parent.recorder() : Recorder.global();
        if (parent == null) {
            History.start();
        }
        FlowRun run =
                new FlowRun(spec.name(), Names.flowRunName(), parent, Context.taskRun(), recorder, spec.scheduler());
        run.trackInParent();
        return run;
    }

    private static <R> State<R> execute(FlowSpec<R> spec, FlowRun run) {
        Recorder recorder = run.recorder();
        FlowRun parent = run.parentRun();
        recorder.record(Event.Kind.FLOW_BEGIN, run, null);
        if (spec.dashboard() != FlowSpec.NO_DASHBOARD) {
            Dashboards.serve(spec.dashboard());
        }
        State<R> state;
        TaskRunner runner = null;
        try {
            runner = spec.runners().get();
            recorder.record(Event.Kind.RUNNER_STARTING, run, runner.name());
            runner.start();
            String described = runner.describe();
            if (described != null) {
                recorder.record(Event.Kind.RUNNER_STARTED, run, described);
            }
        } catch (RuntimeException | Error e) {
            String what = runner == null ? "could not be created" : "`" + runner.name() + "` failed to start";
            state = State.<R>crashed("Flow run crashed: its task runner " + what + ": " + e, e)
                    .forRun(run.label());
            return end(run, parent, state);
        }
        run.useRunner(runner);
        Duration timeout = spec.timeout();
        Scheduler.Cancellable timer =
                timeout == null ? null : run.scheduler().schedule(() -> run.timeOut(timeout), timeout);
        R value = null;
        Throwable bodyError = null;
        Object previous = Context.enter(run);
        run.enterBody();
        try {
            if (run.cancelledBy() == null) {
                value = spec.body().run();
            }
        } catch (Throwable t) {
            bodyError = t;
        } finally {
            run.leaveBody();
            Context.restore(previous);
        }
        run.bodyFinished();
        run.awaitRuns();
        if (timer != null) {
            timer.cancel();
        }
        run.awaitStrayBodies(STRAY_GRACE);
        recorder.record(Event.Kind.RUNNER_SHUTTING_DOWN, run, runner.name());
        try {
            runner.shutdown();
        } catch (RuntimeException e) {
            if (bodyError == null) {
                bodyError = e;
            }
        }
        return end(run, parent, run.finalState(value, bodyError));
    }

    private static <R> State<R> end(FlowRun run, FlowRun parent, State<R> state) {
        if (parent != null) {
            parent.runFinished(state);
        }
        run.claimEnd(state); // records the end, unless the process stopped and recorded it without the body
        run.recorder().flush();
        run.untrackInParent();
        return state;
    }
}
