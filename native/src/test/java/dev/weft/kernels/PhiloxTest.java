package dev.weft.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class PhiloxTest {

    // the known-answer vectors of Random123's kat_vectors for philox4x32_10
    @Test
    void shouldMatchRandom123KnownAnswerForZeroCounterAndKey() {
        assertThat(Philox.block(0, 0, 0, 0, 0, 0)).containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
    }

    @Test
    void shouldMatchRandom123KnownAnswerForAllOnesCounterAndKey() {
        assertThat(Philox.block(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff))
                .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
    }

    @Test
    void shouldMatchRandom123KnownAnswerForPiDigitsCounterAndKey() {
        assertThat(Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0))
                .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
    }

    @Test
    void shouldEstimatePiWithinOneHundredthFromHalfAMillionPoints() {
        int items = 4096;
        int samplesPerItem = 64;
        long hits = Philox.piHits(0x5eed_0000_0000_0001L, items, samplesPerItem);
        double points = 2.0 * items * samplesPerItem;
        assertThat(4 * hits / points).isCloseTo(Math.PI, within(0.01));
    }

    @Test
    void shouldCountTheSamePointsForTheSameSeed() {
        assertThat(Philox.piHits(42, 16, 8)).isEqualTo(Philox.piHits(42, 16, 8));
        assertThat(Philox.piHits(42, 0, 8)).isZero();
    }

    @Test
    void shouldRejectNegativeCounts() {
        assertThatThrownBy(() -> Philox.piHits(1, -1, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> Philox.piHits(1, 8, -2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-2");
    }
}
