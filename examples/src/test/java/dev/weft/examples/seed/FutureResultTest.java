package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FutureResultTest {

    @Test
    void shouldReturnTheTaskValueFromResult() {
        assertThat(FutureResult.myFlow.call()).isEqualTo("I'm a task!");
    }
}
