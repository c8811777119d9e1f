package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Settings;
import dev.weft.StateType;
import dev.weft.spi.RunQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run history's contract on a SQLite file in a fresh home. */
final class SqliteRunHistoryTest extends RunHistoryContractTest {
    @TempDir
    static Path root;

    private final AtomicInteger homes = new AtomicInteger();

    @Override
    Settings newDatabase() {
        // a home that does not exist yet: opening the history creates it
        Path home = root.resolve("home-" + homes.incrementAndGet()).resolve(".weft");
        return new Settings(home, Optional.empty(), Optional.empty(), Settings.DEFAULT_SLOT_LEASE);
    }

    @Test
    void shouldDescribeItselfByItsFileAndShareItWithTheConcurrencyLimits() {
        Path file = settings.home().resolve("weft.db").toAbsolutePath();

        assertThat(history.describe()).isEqualTo("SQLite file " + file);
        try (JdbcSlotStore limits = JdbcSlotStore.open(settings)) {
            limits.create("db", 2);
            history.write(List.of(ended(newId(), "amber-owl", "etl", at(0), at(1))));
            assertThat(limits.read("db")).isPresent();
        }
        assertThat(history.flowRuns(RunQuery.all().inState(StateType.COMPLETED)))
                .hasSize(1);
    }

    @Test
    void shouldReadTheRetentionFromSystemProperties() {
        System.setProperty(HistoryRetention.MAX_AGE_PROPERTY, "7d");
        System.setProperty(HistoryRetention.MAX_RUNS_PROPERTY, "250");
        try {
            assertThat(HistoryRetention.load(Map.of())).isEqualTo(new HistoryRetention(Duration.ofDays(7), 250));
        } finally {
            System.clearProperty(HistoryRetention.MAX_AGE_PROPERTY);
            System.clearProperty(HistoryRetention.MAX_RUNS_PROPERTY);
        }
        assertThat(HistoryRetention.load(Map.of("WEFT_HISTORY_MAX_AGE", "12h")))
                .isEqualTo(new HistoryRetention(Duration.ofHours(12), HistoryRetention.DEFAULT_MAX_RUNS));
        assertThat(HistoryRetention.load(Map.of())).isEqualTo(new HistoryRetention(Duration.ofDays(30), 10_000));
    }
}
