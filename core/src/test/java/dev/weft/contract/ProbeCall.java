package dev.weft.contract;

import dev.weft.Resources;
import dev.weft.TaskRunner;
import dev.weft.runner.TaskFunction;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A call made by a test rather than the engine, to drive a runner or the toolkit directly: the parts a
 * test does not care about are neutral (no arguments, no tags, no deadline), and the outcomes of a call run
 * elsewhere are ignored unless a test overrides them.
 */
public abstract class ProbeCall implements TaskRunner.Call {
    private final UUID id = UUID.randomUUID();

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public TaskRunner.TaskIdentity task() {
        return new TaskRunner.TaskIdentity(name(), "00000000");
    }

    @Override
    public TaskFunction function() {
        return args -> null;
    }

    @Override
    public boolean async() {
        return false;
    }

    @Override
    public Object[] arguments() {
        return new Object[0];
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Resources resources() {
        return Resources.NONE;
    }

    @Override
    public List<String> tags() {
        return List.of();
    }

    @Override
    public Instant deadline() {
        return null;
    }

    @Override
    public boolean started() {
        return true;
    }

    @Override
    public void complete(Object value) {}

    @Override
    public void fail(Throwable error) {}

    @Override
    public void lost(String worker, Throwable cause) {}

    @Override
    public boolean offerToWaiter(Runnable here) {
        return false;
    }
}
