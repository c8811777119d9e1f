package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

final class TaskTest {
    static final Task1<String, String> SAY_HELLO = Task.of("say_hello", (String name) -> "Hello " + name + "!");

    @Test
    void shouldRunAsAPlainFunctionWhenCalledOutsideAFlow() {
        assertThat(SAY_HELLO.call("Arthur")).isEqualTo("Hello Arthur!");
        Task1<Integer, Integer> async = Task.async("later", (Integer x) -> CompletableFuture.supplyAsync(() -> x * 2));
        assertThat(async.call(21)).isEqualTo(42);
    }

    @Test
    void shouldLetAnUncheckedExceptionThroughUnchangedOutsideAFlow() {
        IllegalArgumentException thrown = new IllegalArgumentException("bad");
        Task0<Void> failing = Task.of("failing", () -> {
            throw thrown;
        });
        assertThatThrownBy(failing::call).isSameAs(thrown);
    }

    @Test
    void shouldWrapACheckedExceptionOutsideAFlow() {
        Task0<String> failing = Task.of("reads", () -> {
            throw new IOException("no such file");
        });
        assertThatThrownBy(failing::call)
                .isInstanceOf(WeftException.class)
                .hasMessage("Task 'reads' threw java.io.IOException: no such file")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void shouldRefuseToBeSubmittedOutsideAFlow() {
        assertThatThrownBy(() -> SAY_HELLO.submit("Marvin"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Task 'say_hello' was submitted outside of a flow run. Submit tasks from inside a flow;"
                        + " outside one, call() runs a task as a plain function.");
    }

    @Test
    void shouldThrowRunFailedExceptionWhenCalledInPlaceInAFlowAndFailing() {
        IllegalStateException thrown = new IllegalStateException("boom");
        Task0<String> failing = Task.of("failing", () -> {
            throw thrown;
        });
        State<String> state = Flow.of("in-place-failure", () -> {
                    try {
                        failing.call();
                        return "not reached";
                    } catch (RunFailedException e) {
                        assertThat(e.getCause()).isSameAs(thrown);
                        assertThat(e.getMessage()).startsWith("Task run 'failing-");
                        return "caught";
                    }
                })
                .callForState();
        // the body handled the failure and returned a value: as in Prefect, the flow run completes
        assertThat(state.isCompleted()).isTrue();
        assertThat(state.result()).isEqualTo("caught");
    }

    @Test
    void shouldNameRunsAfterTheTaskItsKeyAndTheCallIndex() {
        String key = SAY_HELLO.key();
        assertThat(key)
                .matches("[0-9a-f]{8}")
                .isEqualTo(Task.of("say_hello", () -> 1).key());
        Flow.of("names", () -> {
                    assertThat(SAY_HELLO.submit("a").name()).isEqualTo("say_hello-" + key + "-0");
                    assertThat(SAY_HELLO.submit("b").name()).isEqualTo("say_hello-" + key + "-1");
                    assertThat(SAY_HELLO.waitFor().submit("c").name()).isEqualTo("say_hello-" + key + "-2");
                })
                .call();
    }

    @Test
    void shouldRejectABlankName() {
        assertThatThrownBy(() -> Task.of(" ", () -> 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
