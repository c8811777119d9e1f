package dev.weft.examples.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitTest {

    @Test
    void shouldReturnTheFinalStateOnceTheRunHasFinished() {
        State<String> finalState = Wait.myFlow.call();

        assertThat(finalState.isCompleted()).isTrue();
        assertThat(finalState.result()).isEqualTo("I'm a task!");
    }
}
