package dev.weft.dashboard;

import dev.weft.StateType;
import dev.weft.spi.RunRecord;
import java.time.Instant;
import java.util.List;

/** Run records as the engine writes them, for histories that the tests fill by hand. */
final class Records {
    private Records() {}

    static RunRecord flow(
            String id, String name, String flow, StateType state, Instant started, Instant ended, String process) {
        return new RunRecord(
                RunRecord.Kind.FLOW,
                id,
                null,
                name,
                flow,
                state,
                state == StateType.RUNNING
                        ? null
                        : state == StateType.COMPLETED ? "All states completed." : "Some failed.",
                started,
                ended,
                "ForkJoinTaskRunner",
                null,
                List.of(),
                process);
    }

    static RunRecord task(
            String flowRunId,
            String name,
            StateType state,
            String message,
            Instant started,
            Instant ended,
            String worker) {
        return new RunRecord(
                RunRecord.Kind.TASK,
                flowRunId,
                null,
                name,
                name.substring(0, name.indexOf('-')),
                state,
                message,
                started,
                ended,
                "ForkJoinTaskRunner",
                worker,
                List.of(),
                null);
    }
}
