package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.WeftClient;
import dev.weft.examples.testing.Limits;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyLimitClientTest {
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @AfterEach
    void deleteLimits() {
        Limits.delete("small_instance", "database");
    }

    @Test
    void shouldCreateReadListAndDeleteTheLimit() throws Exception {
        List<String> transcript = Transcript.of(() -> ConcurrencyLimitClient.main(new String[0]));

        assertThat(Transcript.logged(transcript))
                .as("no flow runs, so no log lines")
                .isEmpty();
        assertThat(transcript)
                .satisfiesExactly(
                        created -> assertThat(created)
                                .matches("Created concurrency limit " + UUID_PATTERN + " on tag 'small_instance'"),
                        read -> assertThat(read).isEqualTo("Tag 'small_instance': limit 10, active slots []"),
                        listed -> assertThat(listed).isEqualTo("  small_instance: 10"),
                        deleted -> assertThat(deleted).isEqualTo("Deleted the limit on tag 'small_instance': true"));
        assertThat(Limits.read("small_instance")).isEmpty();
    }

    @Test
    void shouldChangeAnExistingLimitKeepingItsIdAndListEveryTagInOrder() throws Exception {
        UUID before;
        try (WeftClient client = WeftClient.open()) {
            before = client.createConcurrencyLimit("small_instance", 3);
            client.createConcurrencyLimit("database", 1);
        }

        List<String> transcript = Transcript.of(() -> ConcurrencyLimitClient.main(new String[0]));

        assertThat(transcript)
                .containsExactly(
                        "Created concurrency limit " + before + " on tag 'small_instance'",
                        "Tag 'small_instance': limit 10, active slots []",
                        "  database: 1",
                        "  small_instance: 10",
                        "Deleted the limit on tag 'small_instance': true");
        // It deletes its own tag's limit only.
        assertThat(Limits.read("small_instance")).isEmpty();
        assertThat(Limits.read("database"))
                .hasValueSatisfying(limit -> assertThat(limit.limit()).isEqualTo(1));
    }
}
