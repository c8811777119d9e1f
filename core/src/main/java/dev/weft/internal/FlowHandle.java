package dev.weft.internal;

import dev.weft.FlowRunFuture;
import dev.weft.State;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A flow run on a thread of its own, as {@link dev.weft.Flow#start()} returns it. */
final class FlowHandle<R> implements FlowRunFuture<R> {
    private final FlowRun run;
    private final CompletableFuture<State<R>> ended = new CompletableFuture<>();

    FlowHandle(FlowRun run) {
        this.run = run;
    }

    void ended(State<R> state) {
        ended.complete(state);
    }

    @Override
    public String name() {
        return run.name();
    }

    @Override
    public boolean isDone() {
        return ended.isDone();
    }

    @Override
    public State<R> await() {
        boolean interrupted = false;
        try {
            for (; ; ) {
                try {
                    return ended.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("A flow run ends with a state, never with an exception", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Optional<State<R>> await(Duration timeout) {
        try {
            return Optional.of(ended.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("A flow run ends with a state, never with an exception", e);
        }
    }

    @Override
    public R result() {
        return await().result();
    }

    @Override
    public boolean cancel() {
        return run.cancel("The flow run was cancelled");
    }

    @Override
    public String toString() {
        return "FlowRunFuture[" + run.name() + (isDone() ? ", done" : "") + "]";
    }
}
