package dev.weft.store;

import dev.weft.Settings;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A process of its own that shares a SQLite store with others, for {@link SqliteProcessesTest}: opens the
 * store in a home, sets a limit on a tag, then takes and gives back a slot on it a number of times,
 * counting the slot rows each time it holds one. Exits with 1 if it ever sees more rows than the limit.
 */
final class StoreProcess {
    private StoreProcess() {}

    /**
     * Runs one process.
     *
     * @param args the home, the tag, the limit and how many slots to take
     * @throws Exception on any failure, which ends the process with a status other than 0
     */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        String tag = args[1];
        int limit = Integer.parseInt(args[2]);
        int grants = Integer.parseInt(args[3]);
        Settings settings =
                new Settings(home, Optional.empty(), Optional.of(Duration.ofSeconds(30)), Duration.ofSeconds(30));
        String holder = "process-" + ProcessHandle.current().pid();
        int mostRows = 0;
        try (SlotStore store = JdbcSlotStore.open(settings);
                Connection look = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("weft.db"))) {
            store.create(tag, limit);
            UUID run = UUID.randomUUID();
            for (int granted = 0; granted < grants; ) {
                // a run that found the tag full waits in the store's order: it asks again as itself
                Admission answer = store.acquire(holder, run, "run", List.of(tag), Duration.ofMinutes(5));
                if (answer.outcome() != Admission.Outcome.GRANTED) {
                    continue;
                }
                granted++;
                int rows = SlotStoreContractTest.countSlotRows(look, tag);
                mostRows = Math.max(mostRows, rows);
                store.release(run);
                run = UUID.randomUUID();
                if (rows > limit) {
                    System.out.println("VIOLATION: " + rows + " slot rows on tag '" + tag + "', limit " + limit);
                    System.exit(1);
                }
            }
        }
        System.out.println("OK most rows " + mostRows);
    }
}
