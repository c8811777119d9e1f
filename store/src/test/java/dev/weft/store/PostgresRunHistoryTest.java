package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The run history's contract on PostgreSQL, each database a fresh schema of the test server. */
final class PostgresRunHistoryTest extends RunHistoryContractTest {
    private PostgresTestDatabase server;

    @Override
    Settings newDatabase() {
        if (server == null) {
            server = PostgresTestDatabase.connectOrSkip();
        }
        return new Settings(Path.of("unused-home"), Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE)
                .withDatabaseUrl(server.newSchema());
    }

    @Override
    void dropDatabases() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldDescribeItselfByItsUrl() {
        assertThat(history.describe()).startsWith("PostgreSQL jdbc:postgresql://");
    }
}
