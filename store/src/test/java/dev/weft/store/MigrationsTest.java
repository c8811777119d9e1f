package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shortcut that spares Flyway on a database that is up to date, and only there. */
final class MigrationsTest {
    private static final Pattern SCRIPT = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path home;

    @Test
    void shouldNameTheNewestScriptAsTheLatestVersion() throws IOException, URISyntaxException {
        Path scripts =
                Path.of(Objects.requireNonNull(Migrations.class.getClassLoader().getResource("db/migration/weft"))
                        .toURI());
        int newest;
        try (Stream<Path> files = Files.list(scripts)) {
            newest = files.map(f -> SCRIPT.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElseThrow();
        }

        assertThat(Migrations.LATEST_VERSION).isEqualTo(Integer.toString(newest));
    }

    @Test
    void shouldFindADatabaseUpToDateOnlyOnceItHasTheNewestScriptAndNoFailure() throws Exception {
        Settings settings = new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
        Database db = Database.of(settings);
        Files.createDirectories(home);
        try (var pool = Pools.open(db)) {
            assertThat(Migrations.upToDate(pool)).as("an empty database").isFalse();
        }
        JdbcSlotStore.open(settings).close();
        try (var pool = Pools.open(db)) {
            assertThat(Migrations.upToDate(pool)).as("a migrated database").isTrue();
        }

        try (Connection c = DriverManager.getConnection(db.url());
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE " + Migrations.HISTORY_TABLE + " SET success = 0 WHERE version = '2'");
        }
        try (var pool = Pools.open(db)) {
            assertThat(Migrations.upToDate(pool))
                    .as("a database with a failed migration")
                    .isFalse();
        }
    }
}
