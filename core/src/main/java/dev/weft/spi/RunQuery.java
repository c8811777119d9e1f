package dev.weft.spi;

import dev.weft.StateType;
import java.time.Instant;
import java.util.Locale;

/**
 * Which flow runs to list or remove from the run history. Each part left null matches every run.
 *
 * @param name a flow run's name or id, or a flow's name: matches runs whose name or id is it, or whose flow
 *     has it
 * @param state the state the flow run is in
 * @param endedBefore matches flow runs that ended before this instant (those still running never match)
 * @param limit the most flow runs to return, newest first; more than zero
 */
public record RunQuery(String name, StateType state, Instant endedBefore, int limit) {
    /** The most flow runs a query returns unless told otherwise. */
    public static final int DEFAULT_LIMIT = 100;

    /**
     * Checks the limit.
     *
     * @param name a name or id, or null
     * @param state a state, or null
     * @param endedBefore an instant, or null
     * @param limit the most runs, more than zero
     */
    public RunQuery {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be more than 0, not " + limit);
        }
    }

    /**
     * Returns a query for the newest flow runs, up to {@link #DEFAULT_LIMIT}.
     *
     * @return the query
     */
    public static RunQuery all() {
        return new RunQuery(null, null, null, DEFAULT_LIMIT);
    }

    /**
     * Returns this query for runs of a name, an id, or a flow's name.
     *
     * @param nameOrId the name or id
     * @return the query
     */
    public RunQuery named(String nameOrId) {
        return new RunQuery(nameOrId, state, endedBefore, limit);
    }

    /**
     * Returns this query for runs in a state.
     *
     * @param type the state
     * @return the query
     */
    public RunQuery inState(StateType type) {
        return new RunQuery(name, type, endedBefore, limit);
    }

    /**
     * Returns this query for runs that ended before an instant.
     *
     * @param instant the instant
     * @return the query
     */
    public RunQuery endedBefore(Instant instant) {
        return new RunQuery(name, state, instant, limit);
    }

    /**
     * Returns this query with another limit.
     *
     * @param most the most runs
     * @return the query
     */
    public RunQuery limit(int most) {
        return new RunQuery(name, state, endedBefore, most);
    }

    /**
     * Says whether a flow run's record matches, for histories that filter in memory.
     *
     * @param flow a flow run's record
     * @return whether it matches
     */
    public boolean matches(RunRecord flow) {
        return (name == null || name.equals(flow.name()) || name.equals(flow.flowRunId()) || name.equals(flow.label()))
                && (state == null || state == flow.state())
                && (endedBefore == null || (flow.ended() != null && flow.ended().isBefore(endedBefore)));
    }

    @Override
    public String toString() {
        return "RunQuery(" + (name == null ? "" : "name=" + name + " ")
                + (state == null ? "" : "state=" + state.name().toLowerCase(Locale.ROOT) + " ")
                + (endedBefore == null ? "" : "endedBefore=" + endedBefore + " ") + "limit=" + limit + ")";
    }
}
