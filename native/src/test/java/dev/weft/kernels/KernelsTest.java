package dev.weft.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class KernelsTest {

    @Test
    void shouldNameTheFourKernels() {
        assertThat(Kernels.names()).containsExactly(Kernels.SAXPY, Kernels.SUM, Kernels.MATMUL, Kernels.PI);
        assertThat(Kernels.names()).containsExactly("saxpy", "sum", "matmul", "pi");
    }

    @Test
    void shouldHoldAKernelFunctionNamedLikeItsSource() {
        for (String name : Kernels.names()) {
            assertThat(Kernels.source(name)).as(name).contains("__kernel void " + name + "(");
        }
    }

    @Test
    void shouldRejectAnUnknownNameAndListTheKernels() {
        assertThatThrownBy(() -> Kernels.source("fft"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fft")
                .hasMessageContaining("[saxpy, sum, matmul, pi]");
    }

    @Test
    void shouldKeepTheNamesUnmodifiable() {
        assertThatThrownBy(() -> Kernels.names().add("fft")).isInstanceOf(UnsupportedOperationException.class);
    }
}
