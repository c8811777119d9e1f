package dev.weft.dashboard;

import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the open pages of one kind watch, computed by the poller and shared by every page that watches
 * the same: its sections (each a piece of JSON that a page replaces whole when it changed), and for a flow
 * run its task stream. A section {@code error} says, in one line, why the last read failed, or is null.
 *
 * <p>Computed by one thread at a time (the poller); read by any.
 */
final class View {
    /** How often the views that cost more to read than they change are read again. */
    static final long SLOW_REFRESH_MS = 1000;

    /** What kind of page. */
    enum Kind {
        /** The flow runs, filtered by state and name. */
        RUNS,
        /** One flow run. */
        RUN,
        /** The workers of each runner and process. */
        WORKERS,
        /** The tag concurrency limits. */
        LIMITS
    }

    /**
     * What a page watches.
     *
     * @param kind the kind of page
     * @param subject for {@link Kind#RUN} the flow run's id or name; for {@link Kind#RUNS} a name to match,
     *     or null
     * @param state for {@link Kind#RUNS} the state to match, or null
     */
    record Key(Kind kind, String subject, StateType state) {}

    private final Key key;
    private final TaskStream stream;
    private volatile Map<String, String> sections = Map.of();
    private long computedAtMs;

    // the flow run's page: what the last read found, so that unchanged parts are not read again
    private RunRecord lastFlow;
    private long lastStreamTotal = -1;
    private long lastFailed = -1;
    private String failures = "[]";

    View(Key key) {
        this.key = key;
        this.stream = key.kind() == Kind.RUN ? new TaskStream() : null;
    }

    Key key() {
        return key;
    }

    /** The task stream of a flow run's page, or null for the other pages. */
    TaskStream stream() {
        return stream;
    }

    /** The sections as last computed, by name; empty until the first computation. */
    Map<String, String> sections() {
        return sections;
    }

    /**
     * Reads the view again if it is due. Called by the poller only.
     *
     * @param pages where to read
     * @param nowMs the time now
     */
    void refresh(Pages pages, long nowMs) {
        boolean slow = key.kind() == Kind.WORKERS || key.kind() == Kind.LIMITS;
        if (slow && computedAtMs != 0 && nowMs - computedAtMs < SLOW_REFRESH_MS) {
            return;
        }
        computedAtMs = nowMs;
        Map<String, String> next = new LinkedHashMap<>();
        try {
            switch (key.kind()) {
                case RUNS -> next.put("runs", pages.runs(query()));
                case RUN -> run(pages, next);
                case WORKERS -> next.put("workers", pages.workers());
                case LIMITS -> next.put("limits", pages.limits());
            }
            next.put("error", "null");
        } catch (Sources.Unavailable e) {
            next.putAll(sections); // what the page shows stays, under the error
            next.put("error", Json.quote(e.getMessage()));
        }
        sections = Map.copyOf(next);
    }

    private RunQuery query() {
        RunQuery q = RunQuery.all().limit(Pages.RUNS_DEFAULT);
        if (key.subject() != null) {
            q = q.named(key.subject());
        }
        return key.state() == null ? q : q.inState(key.state());
    }

    private void run(Pages pages, Map<String, String> next) {
        Optional<RunRecord> found = pages.flowRun(key.subject());
        if (found.isEmpty()) {
            next.put("run", "null");
            next.put("failures", "[]");
            return;
        }
        RunRecord flow = found.get();
        Map<StateType, Long> counts = pages.counts(flow);
        if (lastFlow != null && !lastFlow.flowRunId().equals(flow.flowRunId())) {
            stream.clear(); // a newer run of that name
            lastStreamTotal = -1;
            lastFailed = -1;
        }
        long failed = counts.getOrDefault(StateType.FAILED, 0L) + counts.getOrDefault(StateType.CRASHED, 0L);
        if (failed != lastFailed || !flow.equals(lastFlow)) {
            failures = pages.failures(flow.flowRunId());
            lastFailed = failed;
        }
        long total = Counts.total(counts);
        if (total != lastStreamTotal || !flow.equals(lastFlow)) {
            stream.update(pages.latest(flow.flowRunId(), Pages.STREAM_MAX));
            lastStreamTotal = total;
        }
        lastFlow = flow;
        next.put("run", pages.run(flow, counts));
        next.put("failures", failures);
    }
}
