package dev.weft.store;

import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import dev.weft.spi.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The statements on the run history's tables: flow runs, task runs, and the numbers of flow runs that the
 * task runs are keyed by ({@link RunKeys}). Each method runs on a connection it is given, inside the
 * caller's transaction where it writes; none commits. Safe for use by many threads: it keeps no state but
 * the SQL.
 *
 * <p>Times are epoch microseconds. A flow run's {@code listed_us} is when it started, else when it ended,
 * else 0: the key of "newest first", indexed, so that listing the newest runs reads only those.
 */
final class HistoryTables {
    static final String FLOW = "weft_flow_run";
    static final String KEY = "weft_run_key";
    static final String TASK = "weft_task_run";
    static final String PACK = "weft_task_pack";

    /** A pack's count column of each state number. */
    private static final String[] PACK_COUNTS = {
        "n_pending", "n_queued", "n_running", "n_awaiting_retry", "n_completed", "n_failed", "n_crashed", "n_cancelled"
    };

    private static final String INSERT_PACK =
            "INSERT INTO " + PACK + " (run_key, runs, " + String.join(", ", PACK_COUNTS)
                    + ", started_min_us, ended_max_us, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String FLOW_COLUMNS =
            "id, parent_id, name, flow, state, message, started_us, ended_us, runner, process";
    private static final String TASK_COLUMNS = "name, task, state, message, started_us, ended_us, runner, worker, tags";
    private static final String NEWEST_FIRST = " ORDER BY listed_us DESC, id DESC";

    // a later record of a run replaces the earlier one; the same syntax on SQLite and PostgreSQL
    private static final String UPSERT_FLOW = "INSERT INTO " + FLOW
            + " (id, parent_id, name, flow, state, message, started_us, ended_us, listed_us, runner, process)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            + " parent_id = excluded.parent_id, name = excluded.name, flow = excluded.flow,"
            + " state = excluded.state, message = excluded.message, started_us = excluded.started_us,"
            + " ended_us = excluded.ended_us, listed_us = excluded.listed_us, runner = excluded.runner,"
            + " process = excluded.process";
    private static final String UPSERT_TASK = "INSERT INTO " + TASK + " (run_key, " + TASK_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_key, name) DO UPDATE SET"
            + " task = excluded.task, state = excluded.state, message = excluded.message,"
            + " started_us = excluded.started_us, ended_us = excluded.ended_us, runner = excluded.runner,"
            + " worker = excluded.worker, tags = excluded.tags";
    static final String RUN_KEY = "SELECT run_key FROM " + KEY + " WHERE id = ?";
    private static final String END_RUNNING_FLOW =
            "UPDATE " + FLOW + " SET state = ?, message = ?, ended_us = ? WHERE id = ? AND state = ?";

    // ---- writes ---------------------------------------------------------------------------------------

    /**
     * Ends a flow run with the record's state, message and end, if it is still {@code RUNNING}: its own
     * process may have ended it meanwhile, and then its record stands.
     *
     * @return whether it was still running
     */
    boolean endIfRunning(Connection c, RunRecord ended) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(END_RUNNING_FLOW)) {
            s.setInt(1, StateCodes.code(ended.state()));
            s.setString(2, ended.message());
            s.setLong(3, micros(ended.ended()));
            s.setString(4, ended.flowRunId());
            s.setInt(5, StateCodes.code(StateType.RUNNING));
            return s.executeUpdate() == 1;
        }
    }

    /**
     * Upserts a batch of records with one JDBC batch per table. The records of one run keep their order, so
     * the last one wins.
     */
    void write(Connection c, List<RunRecord> batch, RunKeys keys) throws SQLException {
        keys.begin();
        int n = batch.size();
        int flowRecords = 0;
        for (int i = 0; i < n; i++) {
            if (batch.get(i).kind() == RunRecord.Kind.FLOW) {
                flowRecords++;
            }
        }
        try (PreparedStatement flows = flowRecords > 0 ? c.prepareStatement(UPSERT_FLOW) : null;
                PreparedStatement tasks = flowRecords < n ? c.prepareStatement(UPSERT_TASK) : null) {
            for (int i = 0; i < n; i++) {
                RunRecord r = batch.get(i);
                if (r.kind() == RunRecord.Kind.FLOW) {
                    bindFlow(flows, r);
                    flows.addBatch();
                } else {
                    bindTask(tasks, keys.of(c, r.flowRunId()), r);
                    tasks.addBatch();
                }
            }
            if (flows != null) {
                flows.executeBatch();
            }
            if (tasks != null) {
                tasks.executeBatch();
            }
        }
    }

    /**
     * Writes a batch whose task runs are each written for the first and only time: flow runs as {@link
     * #write} does, task runs packed many to a row, a pack per flow run and {@link TaskPacks#MOST} runs.
     */
    void append(Connection c, List<RunRecord> batch, RunKeys keys, TaskPacks packer) throws SQLException {
        List<RunRecord> flows = new ArrayList<>();
        Map<String, List<RunRecord>> tasks = new LinkedHashMap<>();
        for (RunRecord r : batch) {
            if (r.kind() == RunRecord.Kind.FLOW) {
                flows.add(r);
            } else {
                tasks.computeIfAbsent(r.flowRunId(), id -> new ArrayList<>()).add(r);
            }
        }
        if (!flows.isEmpty()) {
            write(c, flows, keys);
        } else {
            keys.begin();
        }
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(INSERT_PACK)) {
            for (Map.Entry<String, List<RunRecord>> e : tasks.entrySet()) {
                long key = keys.of(c, e.getKey());
                List<RunRecord> runs = e.getValue();
                for (int from = 0; from < runs.size(); from += TaskPacks.MOST) {
                    TaskPacks.Pack pack = packer.pack(runs, from, Math.min(runs.size(), from + TaskPacks.MOST));
                    int p = 1;
                    s.setLong(p++, key);
                    s.setInt(p++, pack.runs());
                    for (int count : pack.counts()) {
                        s.setInt(p++, count);
                    }
                    if (pack.startedMin() == null) {
                        s.setNull(p++, Types.BIGINT);
                    } else {
                        s.setLong(p++, pack.startedMin());
                    }
                    s.setLong(p++, pack.endedMax());
                    s.setBytes(p, pack.data());
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
    }

    private static void bindFlow(PreparedStatement s, RunRecord r) throws SQLException {
        s.setString(1, r.flowRunId());
        s.setString(2, r.parentId());
        s.setString(3, r.name());
        s.setString(4, r.label());
        s.setInt(5, StateCodes.code(r.state()));
        s.setString(6, r.message());
        setMicros(s, 7, r.started());
        setMicros(s, 8, r.ended());
        Instant listed = r.started() != null ? r.started() : r.ended();
        s.setLong(9, listed == null ? 0 : micros(listed));
        s.setString(10, r.runner());
        s.setString(11, r.process());
    }

    private static void bindTask(PreparedStatement s, long runKey, RunRecord r) throws SQLException {
        s.setLong(1, runKey);
        s.setString(2, r.name());
        s.setString(3, r.label());
        s.setInt(4, StateCodes.code(r.state()));
        s.setString(5, r.message());
        setMicros(s, 6, r.started());
        setMicros(s, 7, r.ended());
        s.setString(8, r.runner());
        s.setString(9, r.worker());
        List<String> tags = r.tags();
        s.setString(10, tags.isEmpty() ? null : tags.size() == 1 ? tags.get(0) : String.join("\n", tags));
    }

    private static void setMicros(PreparedStatement s, int index, Instant instant) throws SQLException {
        if (instant == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, micros(instant));
        }
    }

    // ---- reads ----------------------------------------------------------------------------------------

    /** The flow runs that match, newest first, up to the query's limit. */
    List<RunRecord> flowRuns(Connection c, RunQuery query) throws SQLException {
        List<Object> args = new ArrayList<>();
        String sql = "SELECT " + FLOW_COLUMNS + " FROM " + FLOW + where(query, false, args) + NEWEST_FIRST + " LIMIT ?";
        args.add(query.limit());
        return flows(c, sql, args);
    }

    /** The flow run of that id, else the newest of that name. */
    Optional<RunRecord> flowRun(Connection c, String nameOrId) throws SQLException {
        List<RunRecord> byId =
                flows(c, "SELECT " + FLOW_COLUMNS + " FROM " + FLOW + " WHERE id = ?", List.of(nameOrId));
        if (!byId.isEmpty()) {
            return Optional.of(byId.get(0));
        }
        List<RunRecord> byName = flows(
                c,
                "SELECT " + FLOW_COLUMNS + " FROM " + FLOW + " WHERE name = ?" + NEWEST_FIRST + " LIMIT 1",
                List.of(nameOrId));
        return byName.stream().findFirst();
    }

    /**
     * A flow run's task runs in start order, those that never started last (by name). The index holds
     * them by state, then start: for one state that is one range in order; for all, the states' ranges are
     * merged here, each read only as far as the limit.
     */
    List<RunRecord> taskRuns(Connection c, String flowRunId, StateType state, int limit) throws SQLException {
        OptionalLong key = runKey(c, flowRunId);
        if (key.isEmpty()) {
            return List.of();
        }
        List<RunRecord> rows = rowTaskRuns(c, flowRunId, key.getAsLong(), state, limit);
        List<RunRecord> packed = packedTaskRuns(c, flowRunId, key.getAsLong(), state, limit);
        if (packed.isEmpty()) {
            return rows;
        }
        List<RunRecord> all = new ArrayList<>(rows);
        all.addAll(packed);
        all.sort(START_ORDER);
        return all.size() > limit ? new ArrayList<>(all.subList(0, limit)) : all;
    }

    /** Start order, those that never started last by name. */
    private static final Comparator<RunRecord> START_ORDER = Comparator.comparing(
                    RunRecord::started, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
            .thenComparing(r -> r.started() == null ? r.name() : "");

    /** The newest end first. */
    private static final Comparator<RunRecord> NEWEST_END =
            Comparator.comparing(RunRecord::ended).reversed();

    /**
     * The first {@code limit} of a flow run's packed task runs in start order (of one state, or all): reads
     * the packs by their earliest start and stops at the first that starts after the last of the limit.
     */
    private static List<RunRecord> packedTaskRuns(Connection c, String flowRunId, long key, StateType state, int limit)
            throws SQLException {
        String sql = "SELECT started_min_us, data FROM " + PACK + " WHERE run_key = ?"
                + (state == null ? "" : " AND " + PACK_COUNTS[StateCodes.code(state)] + " > 0")
                + " ORDER BY CASE WHEN started_min_us IS NULL THEN 1 ELSE 0 END, started_min_us";
        Best first = new Best(START_ORDER, limit);
        List<RunRecord> neverStarted = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long startedMin = r.getLong(1);
                    boolean anyStarted = !r.wasNull();
                    if (first.full() && (!anyStarted || micros(first.last().started()) < startedMin)) {
                        break; // this pack and those after start later than every run kept
                    }
                    for (RunRecord run : TaskPacks.unpack(flowRunId, r.getBytes(2))) {
                        if (state != null && run.state() != state) {
                            continue;
                        }
                        if (run.started() == null) {
                            neverStarted.add(run);
                        } else {
                            first.add(run);
                        }
                    }
                }
            }
        }
        List<RunRecord> found = first.inOrder();
        if (found.size() < limit) {
            found.addAll(neverStarted);
        }
        found.sort(START_ORDER);
        return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    }

    private static List<RunRecord> rowTaskRuns(Connection c, String flowRunId, long runKey, StateType state, int limit)
            throws SQLException {
        List<RunRecord> found = new ArrayList<>();
        String started = "SELECT " + TASK_COLUMNS + " FROM " + TASK
                + " WHERE run_key = ? AND state = ? AND started_us IS NOT NULL ORDER BY started_us LIMIT ?";
        for (StateType type : state == null ? StateType.values() : new StateType[] {state}) {
            found.addAll(tasks(c, flowRunId, started, List.of(runKey, StateCodes.code(type), limit)));
        }
        if (state == null) {
            found.sort(Comparator.comparing(RunRecord::started));
            if (found.size() > limit) {
                found.subList(limit, found.size()).clear();
            }
        }
        if (found.size() < limit) {
            List<Object> args = new ArrayList<>(List.of(runKey));
            String byState = "";
            if (state != null) {
                byState = " AND state = ?";
                args.add(StateCodes.code(state));
            }
            args.add(limit - found.size());
            found.addAll(tasks(
                    c,
                    flowRunId,
                    "SELECT " + TASK_COLUMNS + " FROM " + TASK + " WHERE run_key = ?" + byState
                            + " AND started_us IS NULL ORDER BY name LIMIT ?",
                    args));
        }
        return found;
    }

    /**
     * A flow run's task runs that ended last, the newest first. No index holds them by end: this reads the
     * ends of all the flow run's task runs, and the database keeps the latest {@code limit} as it goes.
     */
    List<RunRecord> latestTaskRuns(Connection c, String flowRunId, int limit) throws SQLException {
        OptionalLong key = runKey(c, flowRunId);
        if (key.isEmpty()) {
            return List.of();
        }
        List<RunRecord> latest = tasks(
                c,
                flowRunId,
                "SELECT " + TASK_COLUMNS + " FROM " + TASK + " WHERE run_key = ? AND ended_us IS NOT NULL"
                        + " ORDER BY ended_us DESC LIMIT ?",
                List.of(key.getAsLong(), limit));
        // the packs by their latest end, until one ends before the earliest of the latest kept
        Best kept = new Best(NEWEST_END, limit);
        latest.forEach(kept::add);
        try (PreparedStatement s = c.prepareStatement(
                "SELECT ended_max_us, data FROM " + PACK + " WHERE run_key = ? ORDER BY ended_max_us DESC")) {
            s.setLong(1, key.getAsLong());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (kept.full() && micros(kept.last().ended()) > r.getLong(1)) {
                        break;
                    }
                    for (RunRecord run : TaskPacks.unpack(flowRunId, r.getBytes(2))) {
                        if (run.ended() != null) {
                            kept.add(run);
                        }
                    }
                }
            }
        }
        return kept.inOrder();
    }

    /** The first {@code limit} records in an order, of those added in any order. */
    private static final class Best {
        private final Comparator<RunRecord> order;
        private final int limit;
        /** The last of the first kept on top, to be pushed out by one before it. */
        private final java.util.PriorityQueue<RunRecord> kept;

        Best(Comparator<RunRecord> order, int limit) {
            this.order = order;
            this.limit = limit;
            this.kept = new java.util.PriorityQueue<>(order.reversed());
        }

        void add(RunRecord run) {
            kept.add(run);
            if (kept.size() > limit) {
                kept.poll();
            }
        }

        /** Whether it has {@code limit} records: one after {@link #last} changes nothing. */
        boolean full() {
            return kept.size() >= limit;
        }

        RunRecord last() {
            return kept.peek();
        }

        List<RunRecord> inOrder() {
            List<RunRecord> found = new ArrayList<>(kept);
            found.sort(order);
            return found;
        }
    }

    /** A flow run's task runs counted by state, by the database, from its index alone. */
    Map<StateType, Long> countTaskRuns(Connection c, String flowRunId) throws SQLException {
        Map<StateType, Long> counts = new EnumMap<>(StateType.class);
        try (PreparedStatement s = c.prepareStatement(
                "SELECT state, COUNT(*) FROM " + TASK + " WHERE run_key = (" + RUN_KEY + ") GROUP BY state")) {
            s.setString(1, flowRunId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(StateCodes.state(r.getInt(1)), r.getLong(2));
                }
            }
        }
        StringBuilder sums = new StringBuilder("SELECT ");
        for (int i = 0; i < PACK_COUNTS.length; i++) {
            sums.append(i == 0 ? "" : ", ")
                    .append("SUM(")
                    .append(PACK_COUNTS[i])
                    .append(')');
        }
        try (PreparedStatement s = c.prepareStatement(sums + " FROM " + PACK + " WHERE run_key = (" + RUN_KEY + ")")) {
            s.setString(1, flowRunId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    for (int i = 0; i < PACK_COUNTS.length; i++) {
                        long n = r.getLong(i + 1);
                        if (n > 0) {
                            counts.merge(StateCodes.state(i), n, Long::sum);
                        }
                    }
                }
            }
        }
        return counts;
    }

    private static OptionalLong runKey(Connection c, String flowRunId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(RUN_KEY)) {
            s.setString(1, flowRunId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? OptionalLong.of(r.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    // ---- removal --------------------------------------------------------------------------------------

    /** The ids of the flow runs that match and have ended; the query's limit is ignored. */
    List<String> ended(Connection c, RunQuery query) throws SQLException {
        List<Object> args = new ArrayList<>();
        return ids(c, "SELECT id FROM " + FLOW + where(query, true, args), args);
    }

    /** The ids of the flow runs that ended before {@code micros}. */
    List<String> endedBefore(Connection c, long micros) throws SQLException {
        return ids(c, "SELECT id FROM " + FLOW + " WHERE ended_us < ?", List.of(micros));
    }

    /**
     * The ids of the flow runs that ended and are not among the newest {@code kept}, counting those that
     * still run.
     */
    List<String> beyondNewest(Connection c, int kept) throws SQLException {
        long listed;
        String id;
        try (PreparedStatement s =
                c.prepareStatement("SELECT listed_us, id FROM " + FLOW + NEWEST_FIRST + " LIMIT 1 OFFSET ?")) {
            s.setInt(1, kept);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return List.of(); // no more than kept
                }
                listed = r.getLong(1);
                id = r.getString(2);
            }
        }
        return ids(
                c,
                "SELECT id FROM " + FLOW
                        + " WHERE ended_us IS NOT NULL AND (listed_us < ? OR (listed_us = ? AND id <= ?))",
                List.of(listed, listed, id));
    }

    /** Removes flow runs, with their task runs and the subflow runs below them that ended. */
    void remove(Connection c, List<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        Set<String> all = new LinkedHashSet<>(ids);
        Deque<String> todo = new ArrayDeque<>(all);
        try (PreparedStatement children =
                c.prepareStatement("SELECT id FROM " + FLOW + " WHERE parent_id = ? AND ended_us IS NOT NULL")) {
            while (!todo.isEmpty()) {
                children.setString(1, todo.pop());
                try (ResultSet r = children.executeQuery()) {
                    while (r.next()) {
                        String child = r.getString(1);
                        if (all.add(child)) {
                            todo.push(child);
                        }
                    }
                }
            }
        }
        try (PreparedStatement tasks =
                        c.prepareStatement("DELETE FROM " + TASK + " WHERE run_key = (" + RUN_KEY + ")");
                PreparedStatement packs =
                        c.prepareStatement("DELETE FROM " + PACK + " WHERE run_key = (" + RUN_KEY + ")");
                PreparedStatement keys = c.prepareStatement("DELETE FROM " + KEY + " WHERE id = ?");
                PreparedStatement flows = c.prepareStatement("DELETE FROM " + FLOW + " WHERE id = ?")) {
            for (String id : all) {
                tasks.setString(1, id);
                tasks.addBatch();
                packs.setString(1, id);
                packs.addBatch();
                keys.setString(1, id);
                keys.addBatch();
                flows.setString(1, id);
                flows.addBatch();
            }
            tasks.executeBatch();
            packs.executeBatch();
            keys.executeBatch();
            flows.executeBatch();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    /** The WHERE clause of a query, its arguments added to {@code args}; empty if it matches every run. */
    private static String where(RunQuery query, boolean endedOnly, List<Object> args) {
        List<String> terms = new ArrayList<>();
        if (query.name() != null) {
            terms.add("(name = ? OR id = ? OR flow = ?)");
            args.addAll(List.of(query.name(), query.name(), query.name()));
        }
        if (query.state() != null) {
            terms.add("state = ?");
            args.add(StateCodes.code(query.state()));
        }
        if (query.endedBefore() != null) {
            terms.add("ended_us < ?");
            args.add(micros(query.endedBefore()));
        } else if (endedOnly) {
            terms.add("ended_us IS NOT NULL");
        }
        return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
    }

    private static List<RunRecord> flows(Connection c, String sql, List<?> args) throws SQLException {
        List<RunRecord> found = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.add(new RunRecord(
                            RunRecord.Kind.FLOW,
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            StateCodes.state(r.getInt(5)),
                            r.getString(6),
                            instant(r, 7),
                            instant(r, 8),
                            r.getString(9),
                            null,
                            List.of(),
                            r.getString(10)));
                }
            }
        }
        return found;
    }

    private static List<RunRecord> tasks(Connection c, String flowRunId, String sql, List<?> args) throws SQLException {
        List<RunRecord> found = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String tags = r.getString(9);
                    found.add(new RunRecord(
                            RunRecord.Kind.TASK,
                            flowRunId,
                            null,
                            r.getString(1),
                            r.getString(2),
                            StateCodes.state(r.getInt(3)),
                            r.getString(4),
                            instant(r, 5),
                            instant(r, 6),
                            r.getString(7),
                            r.getString(8),
                            tags == null ? List.of() : List.of(tags.split("\n", -1)),
                            null));
                }
            }
        }
        return found;
    }

    private static List<String> ids(Connection c, String sql, List<?> args) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
        }
        return ids;
    }

    private static void bind(PreparedStatement s, List<?> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (arg instanceof String text) {
                s.setString(i + 1, text);
            } else if (arg instanceof Integer n) {
                s.setInt(i + 1, n);
            } else {
                s.setLong(i + 1, (Long) arg);
            }
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        long micros = r.getLong(column);
        return r.wasNull() ? null : instant(micros);
    }

    /** An instant in microseconds since the epoch, rounded down. */
    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    /** The instant {@code micros} microseconds after the epoch. */
    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
