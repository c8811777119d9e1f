package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Settings;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.spi.StoreException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on a SQLite file in a fresh home. */
final class SqliteSlotStoreTest extends SlotStoreContractTest {
    @TempDir
    static Path root;

    private final AtomicInteger homes = new AtomicInteger();

    @Override
    Settings newDatabase() {
        // a home that does not exist yet: opening the store creates it
        Path home = root.resolve("home-" + homes.incrementAndGet()).resolve(".weft");
        return new Settings(home, Optional.empty(), Optional.of(Duration.ofSeconds(30)), Duration.ofSeconds(30));
    }

    @Override
    Connection connect(Settings settings) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + settings.home().resolve("weft.db"));
    }

    @Test
    void shouldCreateTheFileInTheHomeInWalMode() throws Exception {
        Settings fresh = newDatabase();
        Path file = fresh.home().resolve("weft.db").toAbsolutePath();
        assertThat(fresh.home()).doesNotExist();

        try (SlotStore opened = JdbcSlotStore.open(fresh)) {
            assertThat(file).isRegularFile();
            assertThat(opened.describe()).isEqualTo("SQLite file " + file);
        }
        try (Connection c = connect(fresh);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
            r.next();
            assertThat(r.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void shouldOpenASqliteUrl() {
        Path file = root.resolve("elsewhere").resolve("limits.db");
        Settings byUrl = newDatabase().withDatabaseUrl("jdbc:sqlite:" + file);

        try (SlotStore opened = JdbcSlotStore.open(byUrl)) {
            opened.create("db", 1);
            assertThat(opened.describe()).isEqualTo("SQLite file " + file.toAbsolutePath());
        }
        assertThat(file).isRegularFile();
        assertThat(Files.exists(byUrl.home())).isFalse();
    }

    // ---- learning of changes --------------------------------------------------------------------------

    @Test
    void shouldWakeAListenerWhenAnotherStoreOnTheFileFreesSlots() throws Exception {
        store.create("db", 1);
        UUID run = UUID.randomUUID();
        acquire(run, "db");
        CountDownLatch woken = new CountDownLatch(1);
        try (SlotStore other = JdbcSlotStore.open(settings)) {
            other.onSlotsFreed(woken::countDown);

            store.release(run);

            assertThat(woken.await(20, TimeUnit.SECONDS))
                    .as("the other store saw the file change")
                    .isTrue();
        }
    }

    @Test
    void shouldWakeAListenerWhenAConnectionOutsideWeftCommits() throws Exception {
        CountDownLatch woken = new CountDownLatch(1);
        store.onSlotsFreed(woken::countDown);

        try (Connection c = connect(settings);
                Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM weft_concurrency_slot"); // as `weft concurrency-limit reset` would
            s.executeUpdate(
                    "INSERT INTO weft_concurrency_limit VALUES ('" + UUID.randomUUID() + "', 'by-hand', 1, 0, 0)");
        }

        assertThat(woken.await(20, TimeUnit.SECONDS)).isTrue();
    }

    /** Property: a queued run that asks again and still finds its tag full changes nothing in the file. */
    @Test
    void shouldLeaveTheFileUnchangedWhenAWaitingRunFindsItsTagFullAgain() throws Exception {
        store.create("db", 1);
        acquire(UUID.randomUUID(), "db");
        UUID waiting = UUID.randomUUID();
        assertThat(acquire(waiting, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
        try (Connection c = connect(settings)) {
            long before = dataVersion(c);

            for (int i = 0; i < 5; i++) {
                assertThat(acquire(waiting, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
            }

            // otherwise every process waiting on the file would wake the others, and they it, forever
            assertThat(dataVersion(c)).isEqualTo(before);
            acquire(UUID.randomUUID(), "db");
            assertThat(dataVersion(c)).as("a new waiter changes it").isNotEqualTo(before);
        }
    }

    private static long dataVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA data_version")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void shouldStopWatchingWhenClosed() {
        long before = watcherThreads();
        SlotStore other = JdbcSlotStore.open(settings);
        other.onSlotsFreed(() -> {});
        other.onSlotsFreed(() -> {}); // one thread for any number of listeners
        assertThat(watcherThreads()).isEqualTo(before + 1);

        other.close();

        Poll.until(Duration.ofSeconds(10), () -> watcherThreads() == before, "the watcher thread ends");
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(SqliteWatcher.THREAD_NAME) && t.isAlive())
                .count();
    }

    @Test
    void shouldLetQueuedRunsAskAgainEverySecondByDefault() {
        assertThat(store.defaultSlotWait()).isEqualTo(Duration.ofSeconds(1));
    }

    // ---- a damaged file -------------------------------------------------------------------------------

    @Test
    void shouldSayInOneLineThatTheFileIsDamagedWhenItsFirstPagesAreOverwritten() throws Exception {
        assertEveryCallSaysTheFileIsDamaged(file -> {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                byte[] garbage = new byte[8192];
                new Random(9).nextBytes(garbage);
                raf.write(garbage);
            }
        });
    }

    @Test
    void shouldSayInOneLineThatTheFileIsDamagedWhenItIsTruncated() throws Exception {
        assertEveryCallSaysTheFileIsDamaged(file -> Files.writeString(file, "\n")); // echo > weft.db
    }

    /** Damages the file of an open store that holds a slot, and checks what each call then says. */
    private void assertEveryCallSaysTheFileIsDamaged(FileDamage damage) throws Exception {
        Settings fresh = newDatabase();
        Path file = fresh.home().resolve("weft.db").toAbsolutePath();
        try (SlotStore open = JdbcSlotStore.open(fresh)) {
            open.create("db", 2);
            UUID run = UUID.randomUUID();
            assertThat(open.acquire(HOLDER, run, "run", List.of("db"), LONG_LEASE))
                    .isEqualTo(Admission.GRANTED);
            try (Connection c = connect(fresh);
                    Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // the pages now live in the file, as SQLite moves them
            }

            damage.apply(file);

            List<Consumer<SlotStore>> calls = List.of(
                    s -> s.renew(HOLDER, List.of(run), LONG_LEASE),
                    s -> s.acquire(HOLDER, UUID.randomUUID(), "other", List.of("db"), LONG_LEASE),
                    s -> s.release(run),
                    s -> s.read("db"),
                    SlotStore::limitedTags);
            for (Consumer<SlotStore> call : calls) {
                assertThatThrownBy(() -> call.accept(open))
                        .isInstanceOf(StoreException.class)
                        .hasMessageStartingWith("The concurrency-limit database SQLite file " + file + " is damaged (")
                        .hasMessageContaining("move it away")
                        .hasMessageNotContaining("\n");
            }
        }
    }

    /** Writes into a file behind SQLite's back. */
    @FunctionalInterface
    private interface FileDamage {
        void apply(Path file) throws IOException;
    }

    @Test
    void shouldSayInOneLineThatTheFileIsDamagedWhenOpeningIt() throws Exception {
        Settings fresh = newDatabase();
        Path file = fresh.home().resolve("weft.db").toAbsolutePath();
        Files.createDirectories(fresh.home());
        byte[] garbage = new byte[16384];
        new Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        assertThatThrownBy(() -> JdbcSlotStore.open(fresh))
                .isInstanceOf(StoreException.class)
                .hasMessage("The concurrency-limit database SQLite file " + file
                        + " is damaged (file is not a database): move it away, and Weft makes a new, empty one on"
                        + " next use, whose limits must be set again");
    }
}
