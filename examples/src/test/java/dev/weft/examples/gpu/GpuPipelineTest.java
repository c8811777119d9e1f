package dev.weft.examples.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.TaskFuture;
import dev.weft.examples.gpu.GpuPipeline.Checks;
import dev.weft.examples.gpu.GpuPipeline.Matrix;
import dev.weft.examples.testing.Transcript;
import dev.weft.gpu.GpuTaskRunner;
import dev.weft.gpu.testing.OpenClHost;
import dev.weft.kernels.Philox;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GpuPipelineTest {
    private static final String DEVICE = "#\\d+ .+ \\((GPU|ACCELERATOR|CPU|OTHER), \\d+ GiB(, PoCL)?\\)";

    @BeforeEach
    void needsOpenCl() {
        OpenClHost.devices();
    }

    @Test
    void shouldCountOnTheDeviceExactlyThePointsThatPhiloxCountsInJava() {
        Checks checks = GpuPipeline.gpuPipeline.call();

        assertThat(checks.hits())
                .isEqualTo(checks.expectedHits())
                .isEqualTo(Philox.piHits(GpuPipeline.SEED, GpuPipeline.ITEMS, GpuPipeline.SAMPLES_PER_ITEM));
        assertThat(Math.abs(checks.pi() - Math.PI)).isLessThan(GpuPipeline.PI_TOLERANCE);
        assertThat(checks.passed()).isTrue();
    }

    @Test
    void shouldMultiplyOnTheDeviceAsJavaDoesWithinARelativeTenThousandth() {
        Checks checks = GpuPipeline.gpuPipeline.call();

        assertThat(checks.largestRelativeDifference()).isLessThanOrEqualTo(GpuPipeline.MATMUL_TOLERANCE);
    }

    @Test
    void shouldMultiplyMatricesOfAnyShapeAcrossTheKernelsTileEdges() {
        int[][] shapes = {{1, 1, 1}, {16, 16, 16}, {17, 5, 33}, {3, 40, 1}, {33, 17, 16}};
        List<Matrix[]> operands = Arrays.stream(shapes)
                .map(s -> new Matrix[] {Matrix.random(s[0], s[1], s[0]), Matrix.random(s[1], s[2], s[2])})
                .toList();

        List<Matrix> products = Flow.of("shapes", new GpuTaskRunner(), () -> {
                    List<TaskFuture<Matrix>> runs = operands.stream()
                            .map(ab -> GpuPipeline.multiply.submit(ab[0], ab[1]))
                            .toList();
                    return TaskFuture.gather(runs).result();
                })
                .call();

        for (int i = 0; i < shapes.length; i++) {
            Matrix expected = operands.get(i)[0].times(operands.get(i)[1]);
            assertThat(products.get(i).rows()).isEqualTo(expected.rows());
            assertThat(products.get(i).cols()).isEqualTo(expected.cols());
            assertThat(products.get(i).largestRelativeDifference(expected))
                    .as("%d x %d times %d x %d", shapes[i][0], shapes[i][1], shapes[i][1], shapes[i][2])
                    .isLessThanOrEqualTo(GpuPipeline.MATMUL_TOLERANCE);
        }
    }

    @Test
    void shouldPrintWhereTheKernelsRanAndTheChecks() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> GpuPipeline.main(new String[0])));

        assertThat(printed).hasSize(5);
        assertThat(printed.subList(0, 2))
                .anyMatch(line -> line.matches("pi_hits runs on " + DEVICE))
                .anyMatch(line -> line.matches("multiply runs on " + DEVICE));
        assertThat(printed.subList(2, 5))
                .satisfiesExactly(
                        pi -> assertThat(pi)
                                .isEqualTo("pi: 1648654 of 2097152 points inside on the device, 1648654 by"
                                        + " Philox.piHits in Java: equal"),
                        estimate -> assertThat(estimate)
                                .isEqualTo("pi = 3.14456 +/- 0.00113, off by 0.00297 (at most 0.01)"),
                        product -> assertThat(product)
                                .matches("C = A \\* B, 200 x 300 times 300 x 250: largest relative difference from"
                                        + " Java \\d\\.\\de-\\d\\d \\(at most 1e-04\\)"));
    }

    @Test
    void shouldPrepareAndCheckOnTheCpuInSubflowsAndComputeOnTheDevice() throws Exception {
        List<String> logged = Transcript.logged(Transcript.of(() -> GpuPipeline.main(new String[0])));

        assertThat(logged)
                .containsSubsequence(
                        "Starting task runner `GpuTaskRunner`...",
                        "Starting task runner `ForkJoinTaskRunner`...",
                        "Shutting down task runner `ForkJoinTaskRunner`...",
                        "Starting task runner `ForkJoinTaskRunner`...",
                        "Shutting down task runner `ForkJoinTaskRunner`...",
                        "Shutting down task runner `GpuTaskRunner`...")
                .anyMatch(line -> line.matches("Beginning subflow run '[a-z]+-[a-z]+' for flow 'prepare'\\.\\.\\."))
                .anyMatch(line -> line.matches("Beginning subflow run '[a-z]+-[a-z]+' for flow 'expected'\\.\\.\\."))
                .anyMatch(line -> line.matches("Task run 'pi_hits-[0-9a-f]{8}-0' finished in state Completed\\(.*"))
                .anyMatch(line -> line.matches("Task run 'multiply-[0-9a-f]{8}-0' finished in state Completed\\(.*"))
                .anyMatch(line -> line.matches("Flow run '[a-z]+-[a-z]+' finished in state Completed\\(.*"));
    }
}
