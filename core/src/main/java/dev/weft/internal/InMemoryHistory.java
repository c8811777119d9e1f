package dev.weft.internal;

import dev.weft.StateType;
import dev.weft.spi.RunHistory;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run history of this process, in its memory: for processes without the store, and for tests. It is
 * bounded: past {@code maxRecords} records in all, the oldest flow runs that have ended are dropped whole,
 * with their task runs.
 */
public final class InMemoryHistory implements RunHistory {
    /** How many records the history keeps unless told otherwise. */
    public static final int DEFAULT_MAX_RECORDS = 200_000;

    private final int maxRecords;
    /** Flow runs by id, oldest first; each with its task runs by name. */
    private final LinkedHashMap<String, Entry> flows = new LinkedHashMap<>();

    private int records;

    private static final class Entry {
        RunRecord flow;
        /** Task runs written, by name: a later record replaces the earlier one. */
        final Map<String, RunRecord> tasks = new LinkedHashMap<>();
        /** Task runs appended, each its run's only record, in the order they came: as they ended. */
        final List<RunRecord> appended = new ArrayList<>();

        int taskRuns() {
            return tasks.size() + appended.size();
        }

        List<RunRecord> allTasks() {
            List<RunRecord> all = new ArrayList<>(taskRuns());
            all.addAll(tasks.values());
            all.addAll(appended);
            return all;
        }
    }

    /**
     * Creates an empty history.
     *
     * @param maxRecords the most records it keeps, flow runs and task runs together
     */
    public InMemoryHistory(int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, not " + maxRecords);
        }
        this.maxRecords = maxRecords;
    }

    @Override
    public synchronized void write(List<RunRecord> batch) {
        keep(batch, false);
    }

    /** Keeps the task runs without looking for earlier records of them: each is its run's only one. */
    @Override
    public synchronized void append(List<RunRecord> batch) {
        keep(batch, true);
    }

    private void keep(List<RunRecord> batch, boolean appended) {
        for (RunRecord r : batch) {
            Entry e = flows.computeIfAbsent(r.flowRunId(), id -> new Entry());
            if (r.kind() == RunRecord.Kind.FLOW) {
                if (e.flow == null) {
                    records++;
                }
                e.flow = r;
            } else if (appended) {
                e.appended.add(r);
                records++;
            } else if (e.tasks.put(r.name(), r) == null) {
                records++;
            }
        }
        trim();
    }

    private void trim() {
        Iterator<Entry> it = flows.values().iterator();
        while (records > maxRecords && it.hasNext()) {
            Entry oldest = it.next();
            if (oldest.flow != null && oldest.flow.ended() == null && flows.size() > 1) {
                continue; // it still runs: an older run that ended goes first
            }
            records -= oldest.taskRuns() + (oldest.flow == null ? 0 : 1);
            it.remove();
        }
    }

    @Override
    public synchronized List<RunRecord> flowRuns(RunQuery query) {
        List<RunRecord> found = new ArrayList<>();
        List<Entry> newestFirst = new ArrayList<>(flows.values());
        for (int i = newestFirst.size() - 1; i >= 0 && found.size() < query.limit(); i--) {
            RunRecord flow = newestFirst.get(i).flow;
            if (flow != null && query.matches(flow)) {
                found.add(flow);
            }
        }
        return found;
    }

    @Override
    public synchronized Optional<RunRecord> flowRun(String nameOrId) {
        Entry byId = flows.get(nameOrId);
        if (byId != null && byId.flow != null) {
            return Optional.of(byId.flow);
        }
        return flowRuns(RunQuery.all().limit(Integer.MAX_VALUE)).stream()
                .filter(r -> r.name().equals(nameOrId))
                .findFirst();
    }

    @Override
    public synchronized List<RunRecord> taskRuns(String flowRunId, StateType state, int limit) {
        Entry e = flows.get(flowRunId);
        if (e == null) {
            return List.of();
        }
        return e.allTasks().stream()
                .filter(r -> state == null || r.state() == state)
                .sorted(Comparator.comparing(RunRecord::started, Comparator.nullsLast(Comparator.naturalOrder())))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<RunRecord> latestTaskRuns(String flowRunId, int limit) {
        Entry e = flows.get(flowRunId);
        if (e == null) {
            return List.of();
        }
        // the latest limit, kept with the earliest of them on top, to be pushed out by a later one
        Comparator<RunRecord> byEnd =
                Comparator.comparing(RunRecord::ended, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()));
        java.util.PriorityQueue<RunRecord> kept = new java.util.PriorityQueue<>(byEnd);
        for (RunRecord r : e.allTasks()) {
            kept.add(r);
            if (kept.size() > limit) {
                kept.poll();
            }
        }
        List<RunRecord> latest = new ArrayList<>(kept);
        latest.sort(byEnd.reversed());
        return latest.size() > limit ? new ArrayList<>(latest.subList(0, limit)) : latest;
    }

    @Override
    public synchronized Map<StateType, Long> countTaskRuns(String flowRunId) {
        Entry e = flows.get(flowRunId);
        Map<StateType, Long> counts = new EnumMap<>(StateType.class);
        if (e != null) {
            for (RunRecord r : e.allTasks()) {
                counts.merge(r.state(), 1L, Long::sum);
            }
        }
        return counts;
    }

    @Override
    public synchronized int remove(RunQuery query) {
        Map<String, Boolean> removed = new HashMap<>();
        for (Iterator<Map.Entry<String, Entry>> it = flows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> e = it.next();
            RunRecord flow = e.getValue().flow;
            if (flow != null && flow.ended() != null && query.matches(flow)) {
                records -= e.getValue().taskRuns() + 1;
                removed.put(e.getKey(), true);
                it.remove();
            }
        }
        // the subflow runs of those removed go with them
        boolean more = true;
        while (more) {
            more = false;
            for (Iterator<Entry> it = flows.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.flow != null && e.flow.parentId() != null && removed.containsKey(e.flow.parentId())) {
                    removed.put(e.flow.flowRunId(), false);
                    records -= e.taskRuns() + 1;
                    it.remove();
                    more = true;
                }
            }
        }
        return (int) removed.values().stream().filter(top -> top).count();
    }

    @Override
    public String describe() {
        return "this process's memory (the last " + maxRecords + " runs)";
    }
}
