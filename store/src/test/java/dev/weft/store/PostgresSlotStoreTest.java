package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.spi.SlotStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The store's contract on PostgreSQL, each database a fresh schema of the test server. */
final class PostgresSlotStoreTest extends SlotStoreContractTest {
    private PostgresTestDatabase server;

    @Override
    Settings newDatabase() {
        if (server == null) {
            server = PostgresTestDatabase.connectOrSkip();
        }
        return new Settings(
                        Path.of("unused-home"),
                        Optional.empty(),
                        Optional.of(Duration.ofSeconds(30)),
                        Duration.ofSeconds(30))
                .withDatabaseUrl(server.newSchema());
    }

    @Override
    Connection connect(Settings settings) throws SQLException {
        return DriverManager.getConnection(settings.databaseUrl().orElseThrow());
    }

    @Override
    void dropDatabases() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldWakeAListenerOfAnotherStoreWhenSlotsAreReleased() throws Exception {
        store.create("db", 1);
        UUID run = UUID.randomUUID();
        acquire(run, "db");
        CountDownLatch woken = new CountDownLatch(1);
        try (SlotStore other = JdbcSlotStore.open(settings)) {
            other.onSlotsFreed(woken::countDown);

            store.release(run);

            assertThat(woken.await(20, TimeUnit.SECONDS))
                    .as("the other store heard of the release")
                    .isTrue();
        }
    }

    @Test
    void shouldWakeItsOwnListenersWhenAWaitingRunIsReleased() throws Exception {
        store.create("db", 1);
        acquire(UUID.randomUUID(), "db");
        UUID waiting = UUID.randomUUID();
        acquire(waiting, "db");
        CountDownLatch woken = new CountDownLatch(1);
        store.onSlotsFreed(woken::countDown);

        store.release(waiting); // a queued run of this process that ended: the next one may be first now

        assertThat(woken.await(20, TimeUnit.SECONDS))
                .as("the store's own listener heard that a wait ended")
                .isTrue();
    }

    @Test
    void shouldLetQueuedRunsAskAgainEveryThirtySecondsByDefaultAsInPrefect() {
        assertThat(store.defaultSlotWait()).isEqualTo(Settings.DEFAULT_SLOT_WAIT);
    }

    @Test
    void shouldListenAgainAfterLosingItsConnection() throws Exception {
        store.create("db", 1);
        Semaphore wakes = new Semaphore(0);
        try (SlotStore other = JdbcSlotStore.open(settings)) {
            other.onSlotsFreed(wakes::release);

            server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + SlotListener.APPLICATION_NAME + "' AND datname = current_database()");

            assertThat(wakes.tryAcquire(20, TimeUnit.SECONDS))
                    .as("the listener reconnected and told of notifications it may have missed")
                    .isTrue();
            UUID run = UUID.randomUUID();
            acquire(run, "db");
            store.release(run);
            assertThat(wakes.tryAcquire(20, TimeUnit.SECONDS))
                    .as("the listener heard a release after reconnecting")
                    .isTrue();
        }
    }

    @Test
    void shouldStopListeningWhenClosed() {
        long before = listenerThreads();
        SlotStore other = JdbcSlotStore.open(settings);
        other.onSlotsFreed(() -> {});
        other.onSlotsFreed(() -> {}); // one thread for any number of listeners
        assertThat(listenerThreads()).isEqualTo(before + 1);

        other.close();

        Poll.until(Duration.ofSeconds(10), () -> listenerThreads() == before, "the listener thread ends");
    }

    private static long listenerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("weft-slots-listener") && t.isAlive())
                .count();
    }

    @Test
    void shouldDescribeTheDatabaseWithoutItsPassword() {
        String url = settings.databaseUrl().orElseThrow();
        try (SlotStore withPassword = JdbcSlotStore.open(settings.withDatabaseUrl(url + "&password=s3cret"))) {
            assertThat(withPassword.describe())
                    .startsWith("PostgreSQL jdbc:postgresql://")
                    .contains("password=***")
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void shouldCreateItsTablesBesideAnApplicationsOwn() {
        String url = server.newSchema();
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        server.execute("CREATE TABLE " + schema + ".orders (id BIGINT PRIMARY KEY)");

        try (SlotStore beside = JdbcSlotStore.open(settings.withDatabaseUrl(url))) {
            assertThat(beside.create("db", 1).limit()).isEqualTo(1);
        }
    }
}
