package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.runner.TaskFunction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One placement of a task run, as a runner that tracks hand-overs gets it ({@link
 * dev.weft.runner.RunnerSpec#tracksHandovers()}): each time the run goes to the runner, lost calls again
 * included, it is handed over afresh, and what a stale hand-over reports (a worker that was given up for
 * lost and answers late) is ignored. So a lost call never runs twice at once, nor ends twice.
 */
final class Handover implements TaskRunner.Call {
    private final TaskRun<?> run;
    private final int number;

    Handover(TaskRun<?> run, int number) {
        this.run = run;
        this.number = number;
    }

    @Override
    public UUID id() {
        return run.id();
    }

    @Override
    public String name() {
        return run.name();
    }

    @Override
    public TaskRunner.TaskIdentity task() {
        return run.task();
    }

    @Override
    public TaskFunction function() {
        return run.function();
    }

    @Override
    public boolean async() {
        return run.async();
    }

    @Override
    public Object[] arguments() {
        return run.arguments();
    }

    @Override
    public int priority() {
        return run.priority();
    }

    @Override
    public Resources resources() {
        return run.resources();
    }

    @Override
    public List<String> tags() {
        return run.tags();
    }

    @Override
    public Instant deadline() {
        return run.deadline();
    }

    @Override
    public boolean run(Runnable whenFinal) {
        if (!run.isCurrent(number)) {
            return true;
        }
        return run.run(whenFinal);
    }

    @Override
    public boolean started() {
        return run.started(number);
    }

    @Override
    public void complete(Object value) {
        run.ended(number, value, null);
    }

    @Override
    public void fail(Throwable error) {
        run.ended(number, null, error == null ? new IllegalStateException("the runner gave no exception") : error);
    }

    @Override
    public void lost(String worker, Throwable cause) {
        run.lost(number, worker, cause);
    }

    @Override
    public void crash(Throwable cause) {
        if (run.isCurrent(number)) {
            run.crash(cause);
        }
    }

    @Override
    public String toString() {
        return "hand-over " + number + " of " + run;
    }

    @Override
    public boolean offerToWaiter(Runnable here) {
        return run.offerToWaiter(here); // `here` runs this hand-over, which a stale one refuses
    }
}
