package dev.weft.spi;

import dev.weft.StateType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A flow run or a task run as the run history keeps it: one record per run, written when the run ends,
 * and for a flow run also when it begins, so that a flow that runs now shows in the history of every
 * process that shares the store. A later record of the same run replaces the earlier one.
 *
 * @param kind whether it is a flow run or a task run
 * @param flowRunId for a flow run its own id, for a task run its flow run's id: unique across processes
 *     and time, where a flow run's name ({@code olivine-swan}) is not
 * @param parentId for a subflow run, the id of the flow run that called it; otherwise null
 * @param name the run's name: {@code olivine-swan}, {@code say_hello-1a2b3c4d-0}
 * @param label the flow's or the task's name
 * @param state its state when recorded: {@code RUNNING} for a flow run that began, else its final state
 * @param message its state's message, or null
 * @param started when it began running (its first try), or null if it never ran
 * @param ended when it reached its final state, or null while it runs
 * @param runner the name of the task runner: the flow's own, or its flow's for a task run
 * @param worker where it ran: the thread, for a run in this JVM; null where the runner did not say
 * @param tags its tags
 * @param process the process it ran in, {@code pid@host}
 */
public record RunRecord(
        Kind kind,
        String flowRunId,
        String parentId,
        String name,
        String label,
        StateType state,
        String message,
        Instant started,
        Instant ended,
        String runner,
        String worker,
        List<String> tags,
        String process) {

    /** What kind of run a record is of. */
    public enum Kind {
        /** A flow run or subflow run. */
        FLOW,
        /** A task run. */
        TASK
    }

    /**
     * Checks the parts.
     *
     * @param kind flow or task
     * @param flowRunId the flow run's id
     * @param parentId the parent flow run's id, or null
     * @param name the run's name
     * @param label the flow's or task's name
     * @param state its state
     * @param message the state's message, or null
     * @param started when it began running, or null
     * @param ended when it ended, or null
     * @param runner the task runner's name, or null
     * @param worker where it ran, or null
     * @param tags its tags
     * @param process {@code pid@host}, or null
     */
    public RunRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(flowRunId, "flowRunId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * Names a process of this host as records name it: {@code pid@host}. The host's name is looked up once,
     * on first use, as the lookup may take a while.
     *
     * @param pid the process's id
     * @return its name
     */
    public static String process(long pid) {
        return pid + "@" + Host.NAME;
    }

    /**
     * Returns whether the process this run ran in is known to be gone: it was a process of this host, and no
     * process of that id runs here now, or the one that does began after the run (the id was given again).
     * A run of another host is never known to be gone. Processes that share a host's name without seeing
     * each other's ids (containers with the host's name) cannot be told apart.
     *
     * @return whether its process is gone
     */
    public boolean processGone() {
        int at = process == null ? -1 : process.indexOf('@');
        if (at <= 0 || !process.substring(at + 1).equals(Host.NAME)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(process.substring(0, at));
        } catch (NumberFormatException e) {
            return false;
        }
        java.util.Optional<ProcessHandle> now = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (now.isEmpty()) {
            return true;
        }
        java.util.Optional<Instant> began = now.get().info().startInstant();
        return began.isPresent() && started != null && began.get().isAfter(started.plusSeconds(1));
    }

    /**
     * Returns this record as run in another process.
     *
     * @param process {@code pid@host}
     * @return the record, naming that process
     */
    public RunRecord withProcess(String process) {
        return new RunRecord(
                kind, flowRunId, parentId, name, label, state, message, started, ended, runner, worker, tags, process);
    }

    /**
     * Returns this flow run as it ended when its process went without ending it: {@code CRASHED}, saying so,
     * ended now.
     *
     * @param now when it was found
     * @return the crashed record
     */
    public RunRecord crashedWithItsProcess(Instant now) {
        return new RunRecord(
                kind,
                flowRunId,
                parentId,
                name,
                label,
                StateType.CRASHED,
                "Flow run crashed: its process " + process + " is gone, and the run never ended there (the process"
                        + " was killed, say)",
                started,
                now,
                runner,
                worker,
                tags,
                process);
    }

    /** This host's name, found when first asked for. */
    private static final class Host {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "localhost";
            }
        }
    }

    /**
     * Returns how long it ran, from its start to its end, or null if it did not both start and end.
     *
     * @return the duration, or null
     */
    public java.time.Duration duration() {
        return started != null && ended != null ? java.time.Duration.between(started, ended) : null;
    }
}
