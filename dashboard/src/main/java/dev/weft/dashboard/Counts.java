package dev.weft.dashboard;

import dev.weft.StateType;
import dev.weft.spi.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counts per state of each flow run's task runs, kept so that a page of a hundred flow runs costs a
 * count only for those that still change. A flow run's task runs are written before its final record, so
 * once that record is in and {@link #SETTLE} has passed, its counts no longer change and are read no
 * more; a live flow run is counted on every read. Bounded: the flow runs used least recently go first.
 *
 * <p>Thread-safe.
 */
final class Counts {
    /** How long after a flow run's end its counts are still read again, for records written late. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private static final int MAX_FLOW_RUNS = 10_000;

    private record Counted(RunRecord flow, Map<StateType, Long> counts) {}

    private final LinkedHashMap<String, Counted> counted = new LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Counted> eldest) {
            return size() > MAX_FLOW_RUNS;
        }
    };

    /**
     * Returns the counts of a flow run's task runs, reading them only if they may have changed.
     *
     * @param flow the flow run's latest record
     * @param sources where to read them
     * @return the count of each state that has runs, in the order of the states
     */
    Map<StateType, Long> of(RunRecord flow, Sources sources) {
        synchronized (counted) {
            Counted known = counted.get(flow.flowRunId());
            if (known != null && known.flow().equals(flow) && settled(flow)) {
                return known.counts();
            }
        }
        Map<StateType, Long> counts = new EnumMap<>(StateType.class);
        counts.putAll(sources.history(h -> h.countTaskRuns(flow.flowRunId())));
        synchronized (counted) {
            counted.put(flow.flowRunId(), new Counted(flow, counts));
        }
        return counts;
    }

    private static boolean settled(RunRecord flow) {
        return flow.ended() != null && flow.ended().plus(SETTLE).isBefore(Instant.now());
    }

    /**
     * Adds up counts.
     *
     * @param counts counts per state
     * @return their sum
     */
    static long total(Map<StateType, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Copies counts into a map keyed by the states' names, for JSON.
     *
     * @param counts counts per state
     * @return the same counts by name
     */
    static Map<String, Long> byName(Map<StateType, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        counts.forEach((state, n) -> named.put(state.name(), n));
        return named;
    }
}
