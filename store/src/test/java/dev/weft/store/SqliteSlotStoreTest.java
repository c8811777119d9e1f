package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.spi.SlotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
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
}
