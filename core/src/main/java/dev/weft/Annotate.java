package dev.weft;

import dev.weft.internal.Annotations;
import java.util.List;
import java.util.Map;

/**
 * A scope that gives a priority, resources or tags to every task submitted or called inside it from this
 * thread: Prefect's {@code with dask.annotate(priority=10):} and {@code with tags("small_instance"):}.
 *
 * {@snippet :
 * try (Annotate high = Annotate.priority(10)) {
 *     show.submit(2); // a high priority task
 * }
 * try (Annotate gpu = Annotate.resources(Map.of("GPU", 1))) {
 *     show.submit(0); // needs one GPU on its worker
 * }
 * try (Annotate db = Annotate.tags("database")) {
 *     query.submit("q1"); // takes a slot on the tag's concurrency limit, if it has one
 * }
 * }
 *
 * <p>Scopes nest: an inner scope overrides the priority and resources it sets and keeps the rest; its tags
 * add to the outer scopes' tags. Closing it restores the outer one. A task's own priority and resources
 * ({@code task.withPriority(...)}, {@code task.withResources(...)}) take precedence over the scope; its
 * own tags add to the scope's. The scope belongs to the thread that opened it and must be closed there,
 * innermost first, which try-with-resources does. It applies to what the code inside it submits, not to
 * what the tasks it submits or calls submit in their turn: a task's body starts outside any scope, on
 * every runner. Priority and resources decide where and when a runner
 * starts a submitted call; a task called in place runs at once on the calling thread.
 *
 * <p>With {@code -Xlint:try}, javac warns that the scope variable is never referenced; that is how scopes
 * work: suppress it with {@code @SuppressWarnings("try")}, or, from Java 22, name it {@code _}.
 */
public final class Annotate implements AutoCloseable {
    private final Annotations.Scope scope;
    private boolean closed;

    private Annotate(Integer priority, Resources resources, List<String> tags) {
        this.scope = Annotations.open(priority, resources, tags);
    }

    /**
     * Opens a scope with a priority: among calls that are ready, higher priorities start first; equal
     * priorities keep submission order. The default priority is 0.
     *
     * @param priority the priority, such as 10 or -10
     * @return the scope, to close
     */
    public static Annotate priority(int priority) {
        return new Annotate(priority, null, List.of());
    }

    /**
     * Opens a scope with the resources each call needs on its worker.
     *
     * @param resources such as {@code Map.of("GPU", 1)}
     * @return the scope, to close
     * @throws IllegalArgumentException for an invalid amount (see {@link Resources#of(Map)})
     */
    public static Annotate resources(Map<String, ? extends Number> resources) {
        return new Annotate(null, Resources.of(resources), List.of());
    }

    /**
     * Opens a scope with both a priority and resources.
     *
     * @param priority the priority
     * @param resources the resources each call needs
     * @return the scope, to close
     */
    public static Annotate of(int priority, Map<String, ? extends Number> resources) {
        return new Annotate(priority, Resources.of(resources), List.of());
    }

    /**
     * Opens a scope whose calls carry tags, besides their task's own and the enclosing scopes': a run takes
     * a slot on every tag that has a concurrency limit before it runs (see {@link WeftClient}).
     *
     * @param tags such as {@code "small_instance"}
     * @return the scope, to close
     * @throws IllegalArgumentException for an invalid tag (see {@link Tags#check})
     */
    public static Annotate tags(String... tags) {
        return new Annotate(null, null, Tags.checkAll(tags));
    }

    /**
     * Closes the scope, restoring the enclosing one. Closing twice does nothing.
     *
     * @throws IllegalStateException on another thread than the one that opened it, or if an inner scope
     *     is still open
     */
    @Override
    public void close() {
        if (!closed) {
            Annotations.close(scope);
            closed = true;
        }
    }
}
