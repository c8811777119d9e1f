package dev.weft;

/**
 * A constant argument of {@code map}, held out of the mapping (Prefect's {@code unmapped}): every run
 * that {@code map} submits gets the same value. Wrap a constant that is itself an {@link Iterable}, such
 * as a list of settings, which {@code map} would otherwise map element-wise; any other value that is not
 * an {@code Iterable} is a constant already, wrapped or not.
 *
 * {@snippet :
 * List<TaskFuture<Double>> scaled = scale.map(samples, Task.unmapped(List.of(0.5, 2.0)));
 * }
 *
 * <p>Only {@code map} unwraps it: a task that is submitted or called with an {@code Unmapped} argument
 * receives the wrapper itself. Immutable; as thread-safe as the value it holds.
 *
 * @param value the constant, which may be null or a future (each run then gets the future's value)
 * @param <T> the type of the constant
 */
public record Unmapped<T>(T value) {

    /**
     * Wraps a constant argument of {@code map}; the same as {@link Task#unmapped(Object)}.
     *
     * @param value the constant
     * @param <T> its type
     * @return the wrapped constant
     */
    public static <T> Unmapped<T> of(T value) {
        return new Unmapped<>(value);
    }
}
