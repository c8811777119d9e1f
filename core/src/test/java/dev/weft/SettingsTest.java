package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class SettingsTest {

    @Test
    void shouldDefaultToTheHomeDirectoryTheStoresSlotWaitAndThirtySecondLeases() {
        Settings settings = Settings.load(Map.of());
        assertThat(settings.home()).isEqualTo(Path.of(System.getProperty("user.home"), ".weft"));
        assertThat(settings.databaseUrl()).isEmpty();
        assertThat(settings.slotWait()).isEmpty();
        assertThat(settings.slotLease()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldReadEnvironmentVariables() {
        Settings settings = Settings.load(Map.of(
                "WEFT_HOME", "/srv/weft",
                "WEFT_DATABASE_URL", "jdbc:postgresql://db/weft",
                "WEFT_SLOT_WAIT", "500ms",
                "WEFT_SLOT_LEASE", "2m"));
        assertThat(settings)
                .isEqualTo(new Settings(
                        Path.of("/srv/weft"),
                        Optional.of("jdbc:postgresql://db/weft"),
                        Optional.of(Duration.ofMillis(500)),
                        Duration.ofMinutes(2)));
    }

    @Test
    void shouldLetSystemPropertiesWinOverEnvironmentVariables() {
        String before = System.getProperty("weft.slot.wait");
        System.setProperty("weft.slot.wait", "PT5S");
        try {
            assertThat(Settings.load(Map.of("WEFT_SLOT_WAIT", "1s")).slotWait()).contains(Duration.ofSeconds(5));
        } finally {
            if (before == null) {
                System.clearProperty("weft.slot.wait");
            } else {
                System.setProperty("weft.slot.wait", before);
            }
        }
    }

    @Test
    void shouldNameTheSettingWhoseValueIsInvalid() {
        assertThatThrownBy(() -> Settings.load(Map.of("WEFT_SLOT_WAIT", "soon")))
                .hasMessage("The setting weft.slot.wait / WEFT_SLOT_WAIT must be a duration such as 30s, 500ms or 2m,"
                        + " not 'soon'");
        assertThatThrownBy(() -> Settings.load(Map.of("WEFT_SLOT_LEASE", "0s")))
                .hasMessage("The setting weft.slot.lease / WEFT_SLOT_LEASE must be more than zero, not PT0S");
        assertThat(Settings.duration("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Settings.duration("x", "1h")).isEqualTo(Duration.ofHours(1));
    }
}
