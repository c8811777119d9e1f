package dev.weft.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The numbers that stand for flow run ids in the task runs' table ({@code weft_run_key}), as one writer
 * knows them: those committed, and those that the batch being written added, which count only once it
 * commits. A number is drawn at random the first time a flow run has task runs to write, so that a writer
 * that still remembers the number of a flow run removed since never meets it on another. Not thread-safe:
 * the writer's alone.
 */
final class RunKeys {
    private static final int MOST_KNOWN = 4096; // runs whose task runs end at once; past that, forget all

    /** How many numbers {@link #draw} tries before it gives up: each is taken with odds of 2^-63. */
    private static final int DRAWS = 8;

    private static final String DRAW =
            "INSERT INTO " + HistoryTables.KEY + " (id, run_key) VALUES (?, ?) ON CONFLICT DO NOTHING";

    private final Map<String, Long> committed = new HashMap<>();
    private final Map<String, Long> added = new HashMap<>();
    private String lastId;
    private long lastKey;

    /** Forgets what the batch about to be written (again) added. */
    void begin() {
        added.clear();
        lastId = null;
    }

    /** Keeps what the batch added, once it committed. */
    void committed() {
        if (committed.size() + added.size() > MOST_KNOWN) {
            committed.clear();
        }
        committed.putAll(added);
        added.clear();
    }

    /** Forgets every number: after a removal, which may have removed some. */
    void forget() {
        committed.clear();
        added.clear();
        lastId = null;
    }

    /** The number of a flow run id, drawn in the batch's transaction if it has none. */
    long of(Connection c, String flowRunId) throws SQLException {
        if (flowRunId.equals(lastId)) {
            return lastKey; // the records of a batch mostly come in runs of one flow run
        }
        Long key = committed.get(flowRunId);
        if (key == null) {
            key = added.get(flowRunId);
        }
        if (key == null) {
            key = draw(c, flowRunId);
            added.put(flowRunId, key);
        }
        lastId = flowRunId;
        lastKey = key;
        return key;
    }

    /** The number of a flow run id: the one it has, else one drawn at random. */
    private static long draw(Connection c, String flowRunId) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(DRAW);
                PreparedStatement select = c.prepareStatement(HistoryTables.RUN_KEY)) {
            insert.setString(1, flowRunId);
            select.setString(1, flowRunId);
            for (int attempt = 1; ; attempt++) {
                insert.setLong(2, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
                insert.executeUpdate(); // nothing if the id has a key already, or the number is taken
                try (ResultSet r = select.executeQuery()) {
                    if (r.next()) {
                        return r.getLong(1);
                    }
                }
                if (attempt >= DRAWS) {
                    throw new SQLException(
                            "Could not number flow run " + flowRunId + ": " + attempt + " numbers drawn were taken");
                }
            }
        }
    }
}
