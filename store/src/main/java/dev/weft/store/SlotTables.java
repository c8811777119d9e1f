package dev.weft.store;

import dev.weft.ConcurrencyLimit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The statements on the store's three tables: limits, the slots runs hold, and the runs that wait. Each
 * method runs on a connection it is given, inside the caller's transaction where it writes; none commits.
 * Safe for use by many threads: it keeps no state but the SQL.
 */
final class SlotTables {
    static final String LIMIT = "weft_concurrency_limit";
    static final String SLOT = "weft_concurrency_slot";
    static final String WAITER = "weft_concurrency_waiter";

    private static final int MAX_RUNS_PER_STATEMENT = 500; // bind parameters per statement, far below both limits

    /** A run's slot on a tag. */
    record Holding(UUID runId, long seq) {}

    /** A run waiting on a tag, and the process that renews its wait. */
    record Waiter(UUID runId, String holder, long seq) {}

    private final Dialect dialect;
    private final String readSql;

    SlotTables(Dialect dialect) {
        this.dialect = dialect;
        this.readSql = "SELECT l.id, l.tag, l.concurrency_limit, l.created_ms, l.updated_ms, s.run_id, s.run_name,"
                + " s.holder, s.acquired_ms"
                + " FROM " + LIMIT + " l LEFT JOIN " + SLOT + " s ON s.tag = l.tag AND s.expires_ms > "
                + dialect.now();
    }

    /** The database's clock, in milliseconds since the epoch. */
    long now(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + dialect.now());
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    // ---- limits ---------------------------------------------------------------------------------------

    /** The limits among {@code tags}, locked until commit on PostgreSQL. */
    Map<String, Integer> lockLimits(Connection c, List<String> tags) throws SQLException {
        Map<String, Integer> limits = new HashMap<>();
        String sql = "SELECT tag, concurrency_limit FROM " + LIMIT + " WHERE tag IN " + placeholders(tags.size())
                + " ORDER BY tag" + dialect.forUpdate();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, tags);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    limits.put(r.getString(1), r.getInt(2));
                }
            }
        }
        return limits;
    }

    /** Every tag that has a limit. */
    Set<String> limitedTags(Connection c) throws SQLException {
        Set<String> tags = new LinkedHashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT tag FROM " + LIMIT);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                tags.add(r.getString(1));
            }
        }
        return tags;
    }

    /** Sets the limit on a tag, creating it with a new id if it has none. */
    void upsertLimit(Connection c, String tag, int limit, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + LIMIT
                + " (id, tag, concurrency_limit, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (tag) DO UPDATE SET concurrency_limit = excluded.concurrency_limit,"
                + " updated_ms = excluded.updated_ms")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, tag);
            s.setInt(3, limit);
            s.setLong(4, now);
            s.setLong(5, now);
            s.executeUpdate();
        }
    }

    /** Deletes the limit on a tag; returns whether there was one. */
    boolean deleteLimit(Connection c, String tag) throws SQLException {
        return deleteWhere(c, LIMIT, "tag", tag) > 0;
    }

    /** Reads the limit on a tag with its unexpired slots, oldest first. */
    Optional<ConcurrencyLimit> read(Connection c, String tag) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(readSql + " WHERE l.tag = ? ORDER BY s.seq")) {
            s.setString(1, tag);
            List<ConcurrencyLimit> found = limits(s);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
        }
    }

    /** Reads every limit with its unexpired slots, ordered by tag. */
    List<ConcurrencyLimit> readAll(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(readSql + " ORDER BY s.seq")) {
            return limits(s);
        }
    }

    /** Runs a {@link #readSql} query, whose rows are ordered by slot age, and groups them by tag. */
    private static List<ConcurrencyLimit> limits(PreparedStatement s) throws SQLException {
        record Row(UUID id, int limit, long created, long updated, List<ConcurrencyLimit.Slot> slots) {}
        // ordered here rather than by the database, whose collation may differ from Java's order
        Map<String, Row> rows = new TreeMap<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String tag = r.getString(2);
                Row row = rows.get(tag);
                if (row == null) {
                    row = new Row(
                            UUID.fromString(r.getString(1)),
                            r.getInt(3),
                            r.getLong(4),
                            r.getLong(5),
                            new ArrayList<>());
                    rows.put(tag, row);
                }
                String runId = r.getString(6);
                if (runId != null) {
                    String runName = r.getString(7);
                    row.slots.add(ConcurrencyLimit.Slot.held(
                            UUID.fromString(runId),
                            runName == null ? runId : runName, // a row written by hand, without a name
                            r.getString(8),
                            Instant.ofEpochMilli(r.getLong(9))));
                }
            }
        }
        List<ConcurrencyLimit> limits = new ArrayList<>(rows.size());
        rows.forEach((tag, row) -> limits.add(new ConcurrencyLimit(
                row.id,
                tag,
                row.limit,
                row.slots,
                Instant.ofEpochMilli(row.created),
                Instant.ofEpochMilli(row.updated))));
        return limits;
    }

    // ---- slots and waiters ----------------------------------------------------------------------------

    /** Deletes the expired slots and waits on the tags; returns how many waits it deleted. */
    int purgeExpired(Connection c, List<String> tags, long now) throws SQLException {
        purgeExpired(c, SLOT, tags, now);
        return purgeExpired(c, WAITER, tags, now);
    }

    private int purgeExpired(Connection c, String table, List<String> tags, long now) throws SQLException {
        String sql = "DELETE FROM " + table + " WHERE expires_ms <= ? AND tag IN " + placeholders(tags.size());
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, now);
            bind(s, 2, tags);
            return s.executeUpdate();
        }
    }

    /** The slots on each of the tags, oldest first; call after {@link #purgeExpired}. */
    Map<String, List<Holding>> holdings(Connection c, List<String> tags) throws SQLException {
        Map<String, List<Holding>> holdings = new HashMap<>();
        String sql =
                "SELECT tag, run_id, seq FROM " + SLOT + " WHERE tag IN " + placeholders(tags.size()) + " ORDER BY seq";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, tags);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    holdings.computeIfAbsent(r.getString(1), t -> new ArrayList<>())
                            .add(new Holding(UUID.fromString(r.getString(2)), r.getLong(3)));
                }
            }
        }
        return holdings;
    }

    /** The runs waiting on each of the tags, oldest first; call after {@link #purgeExpired}. */
    Map<String, List<Waiter>> waiters(Connection c, List<String> tags) throws SQLException {
        Map<String, List<Waiter>> waiters = new HashMap<>();
        String sql = "SELECT tag, run_id, holder, seq FROM " + WAITER + " WHERE tag IN " + placeholders(tags.size())
                + " ORDER BY seq";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, 1, tags);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    waiters.computeIfAbsent(r.getString(1), t -> new ArrayList<>())
                            .add(new Waiter(UUID.fromString(r.getString(2)), r.getString(3), r.getLong(4)));
                }
            }
        }
        return waiters;
    }

    /** Gives a run a slot on each of the tags, each after the tag's newest. */
    void insertSlots(
            Connection c,
            List<String> tags,
            Map<String, List<Holding>> holdings,
            String holder,
            UUID runId,
            String runName,
            long now,
            long expires)
            throws SQLException {
        if (tags.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + SLOT
                + " (tag, run_id, run_name, holder, seq, acquired_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (String tag : tags) {
                List<Holding> held = holdings.getOrDefault(tag, List.of());
                s.setString(1, tag);
                s.setString(2, runId.toString());
                s.setString(3, runName);
                s.setString(4, holder);
                s.setLong(5, held.isEmpty() ? 1 : held.getLast().seq + 1);
                s.setLong(6, now);
                s.setLong(7, expires);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Makes a run the newest waiter on a tag, whose waiters are {@code queue}. */
    void insertWaiter(
            Connection c,
            String tag,
            List<Waiter> queue,
            String holder,
            UUID runId,
            String runName,
            long now,
            long expires)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO " + WAITER
                + " (tag, run_id, run_name, holder, seq, since_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, tag);
            s.setString(2, runId.toString());
            s.setString(3, runName);
            s.setString(4, holder);
            s.setLong(5, queue.isEmpty() ? 1 : queue.getLast().seq + 1);
            s.setLong(6, now);
            s.setLong(7, expires);
            s.executeUpdate();
        }
    }

    /** Moves a run's wait on a tag to another place in the tag's order. */
    void moveWaiter(Connection c, String tag, UUID runId, long seq) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("UPDATE " + WAITER + " SET seq = ? WHERE tag = ? AND run_id = ?")) {
            s.setLong(1, seq);
            s.setString(2, tag);
            s.setString(3, runId.toString());
            s.executeUpdate();
        }
    }

    /** Ends a run's waits on every tag but {@code except} (null for none); returns how many it ended. */
    int deleteWaits(Connection c, UUID runId, String except) throws SQLException {
        String sql = "DELETE FROM " + WAITER + " WHERE run_id = ?" + (except == null ? "" : " AND tag <> ?");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, runId.toString());
            if (except != null) {
                s.setString(2, except);
            }
            return s.executeUpdate();
        }
    }

    /** Deletes a run's slots; returns how many. */
    int deleteSlots(Connection c, UUID runId) throws SQLException {
        return deleteWhere(c, SLOT, "run_id", runId.toString());
    }

    /** Deletes every slot on a tag. */
    void deleteSlotsOfTag(Connection c, String tag) throws SQLException {
        deleteWhere(c, SLOT, "tag", tag);
    }

    /** Deletes every wait on a tag. */
    void deleteWaitsOfTag(Connection c, String tag) throws SQLException {
        deleteWhere(c, WAITER, "tag", tag);
    }

    /** Extends the leases of the holder's slots and waits among the runs, to {@code expires}. */
    void renew(Connection c, String holder, List<String> runIds, long expires) throws SQLException {
        for (int i = 0; i < runIds.size(); i += MAX_RUNS_PER_STATEMENT) {
            List<String> chunk = runIds.subList(i, Math.min(runIds.size(), i + MAX_RUNS_PER_STATEMENT));
            for (String table : List.of(SLOT, WAITER)) {
                String sql = "UPDATE " + table + " SET expires_ms = ? WHERE holder = ? AND run_id IN "
                        + placeholders(chunk.size());
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setLong(1, expires);
                    s.setString(2, holder);
                    bind(s, 3, chunk);
                    s.executeUpdate();
                }
            }
        }
    }

    private static int deleteWhere(Connection c, String table, String column, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " = ?")) {
            s.setString(1, value);
            return s.executeUpdate();
        }
    }

    private static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }

    private static void bind(PreparedStatement s, int first, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            s.setString(first + i, values.get(i));
        }
    }
}
