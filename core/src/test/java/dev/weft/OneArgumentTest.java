package dev.weft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.contract.BytesTaskRunner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A task of one argument: its runs hold the argument itself, not an array of one, and the task gets exactly
 * what it was given, whether that is null, an array, or a future, on every runner and on every try.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class OneArgumentTest {

    private static final Task1<Object, String> DESCRIBE = Task.of("describe", OneArgumentTest::describe);

    private static String describe(Object arg) {
        if (arg instanceof Object[] array) {
            return array.getClass().getSimpleName() + Arrays.deepToString(array);
        }
        return String.valueOf(arg);
    }

    /** Submits, calls and maps the describing task with what a user passes a task of one argument. */
    private static List<String> describeAll() {
        TaskFuture<Object> seven = Task.of("seven", () -> (Object) 7).submit();
        List<String> seen = new ArrayList<>();
        seen.add(DESCRIBE.submit((Object) null).result());
        seen.add(DESCRIBE.call((Object) null));
        seen.add(DESCRIBE.submit(new String[] {"a", "b"}).result());
        seen.add(DESCRIBE.call(new Object[] {"one"}));
        seen.add(DESCRIBE.submit(new Object[] {seven, "eight"}).result());
        seen.add(DESCRIBE.submit(seven).result());
        seen.add(DESCRIBE.call(seven));
        for (TaskFuture<String> mapped : DESCRIBE.map(Arrays.asList("x", null, 0))) {
            seen.add(mapped.result());
        }
        return seen;
    }

    private static final List<String> EXPECTED = List.of(
            "null", "null", "String[][a, b]", "Object[][one]", "Object[][7, eight]", "7", "7", "x", "null", "0");

    @Test
    void shouldGiveATaskOfOneArgumentExactlyWhatItWasGivenInPlaceAndOnAThread() {
        assertThat(Flow.of("one-argument", new ConcurrentTaskRunner(), OneArgumentTest::describeAll)
                        .call())
                .containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void shouldShipTheOneArgumentAsTheCallsOnlyArgument() {
        // BytesTaskRunner sends each call's function and arguments() as bytes, as a cluster runner does.
        assertThat(Flow.of("one-argument-as-bytes", new BytesTaskRunner(2, 1), OneArgumentTest::describeAll)
                        .call())
                .containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void shouldGiveEveryTryTheSameArgumentWhenItIsNullOrAFuture() {
        List<String> tries = new CopyOnWriteArrayList<>();
        Task1<Object, String> failsFirst = Task.of("fails-first", (Object arg) -> {
                    tries.add(String.valueOf(arg));
                    if (Collections.frequency(tries, String.valueOf(arg)) == 1) {
                        throw new IllegalStateException("first try of " + arg);
                    }
                    return "done with " + arg;
                })
                .withRetries(1);
        List<String> values = Flow.of("one-argument-retried", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Object> six = Task.of("six", () -> (Object) 6).submit();
                    return List.of(
                            failsFirst.submit((Object) null).result(),
                            failsFirst.submit(six).result());
                })
                .call();
        assertThat(values).containsExactly("done with null", "done with 6");
        assertThat(tries).containsExactlyInAnyOrder("null", "null", "6", "6");
    }
}
