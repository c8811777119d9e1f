package dev.weft.examples.science;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.examples.science.MonteCarloPi.Estimate;
import dev.weft.examples.testing.Transcript;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonteCarloPiTest {

    /** The same computation as a plain loop, one chunk after the other. */
    private static Estimate serialEstimate() {
        List<Double> chunkEstimates = new SplittableRandom(MonteCarloPi.SEED)
                .longs(MonteCarloPi.CHUNKS)
                .mapToObj(seed -> MonteCarloPi.quarterCircle(seed, MonteCarloPi.SAMPLES_PER_CHUNK))
                .toList();
        return Estimate.of(chunkEstimates);
    }

    @Test
    void shouldGiveExactlyTheEstimateOfASerialLoop() {
        assertThat(MonteCarloPi.monteCarloPi.call()).isEqualTo(serialEstimate());
    }

    @Test
    void shouldGiveTheSameEstimateOnEveryRun() {
        Estimate first = MonteCarloPi.monteCarloPi.call();

        assertThat(MonteCarloPi.monteCarloPi.call()).isEqualTo(first);
        assertThat(first.chunks()).isEqualTo(MonteCarloPi.CHUNKS);
        assertThat(first).hasToString("3.14126 +/- 0.00117");
    }

    @Test
    void shouldLandWithinFourStandardErrorsOfPi() {
        Estimate estimate = MonteCarloPi.monteCarloPi.call();

        assertThat(estimate.standardError()).isPositive().isLessThan(0.01);
        assertThat(Math.abs(estimate.value() - Math.PI)).isLessThan(4 * estimate.standardError());
    }

    @Test
    void shouldPrintTheConvergenceTableInOrderThenTheEstimate() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> MonteCarloPi.main(new String[0])));

        assertThat(printed)
                .containsExactly(
                        "     2 chunks    1000000 samples  pi = 3.13821 +/- 0.00412",
                        "     4 chunks    2000000 samples  pi = 3.14027 +/- 0.00206",
                        "     8 chunks    4000000 samples  pi = 3.14126 +/- 0.00117",
                        "pi = 3.14126 +/- 0.00117 from 4000000 samples; off by 0.00033, 0.3 standard errors");
    }

    @Test
    void shouldCombineChunksIntoMeanAndStandardError() {
        Estimate estimate = Estimate.of(List.of(3.0, 3.2, 3.1, 3.3));

        assertThat(estimate.value()).isCloseTo(3.15, within(1e-12));
        // sample standard deviation 0.1291, over the square root of 4
        assertThat(estimate.standardError()).isCloseTo(0.0645497, within(1e-7));
    }
}
