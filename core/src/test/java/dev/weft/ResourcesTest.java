package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

final class ResourcesTest {

    @Test
    void shouldPrintNamesInOrderWithExactAmounts() {
        assertThat(Resources.of(Map.of("process", 1, "GPU", 1))).hasToString("{GPU=1, process=1}");
        assertThat(Resources.of(Map.of("memory", 0.5))).hasToString("{memory=0.5}");
        assertThat(Resources.NONE).hasToString("{}");
    }

    @Test
    void shouldTreatZeroAmountsAsNoAmount() {
        assertThat(Resources.of(Map.of("GPU", 0))).isEqualTo(Resources.NONE);
        assertThat(Resources.of(Map.of("GPU", 0)).isEmpty()).isTrue();
    }

    @Test
    void shouldFitWhenEveryAmountIsCovered() {
        Resources worker = Resources.of(Map.of("GPU", 1, "process", 1));
        assertThat(Resources.of("GPU", 1).fitsIn(worker)).isTrue();
        assertThat(Resources.NONE.fitsIn(worker)).isTrue();
        assertThat(Resources.of("GPU", 2).fitsIn(worker)).isFalse();
        assertThat(Resources.of("TPU", 1).fitsIn(worker)).isFalse();
        assertThat(Resources.of("memory", 0.25).fitsIn(Resources.of("memory", 0.5)))
                .isTrue();
    }

    @Test
    void shouldRejectInvalidAmountsNamingTheResource() {
        assertThatThrownBy(() -> Resources.of("GPU", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Resource 'GPU' must be a finite amount of zero or more, not -1");
        assertThatThrownBy(() -> Resources.of("GPU", Double.NaN)).hasMessageContaining("'GPU'");
        assertThatThrownBy(() -> Resources.of(" ", 1)).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> Resources.of("memory", 0.0000001)).hasMessageContaining("a millionth");
    }

    @Test
    void shouldCompareByValue() {
        assertThat(Resources.of(Map.of("GPU", 1)))
                .isEqualTo(Resources.of("GPU", 1.0))
                .hasSameHashCodeAs(Resources.of("GPU", 1L));
        assertThat(Resources.of("GPU", 1).amount("GPU")).isEqualTo(1.0);
        assertThat(Resources.of("GPU", 1).amount("process")).isZero();
        assertThat(Resources.of(Map.of("GPU", 1, "process", 2)).asMap())
                .containsExactly(Map.entry("GPU", 1.0), Map.entry("process", 2.0));
    }
}
