package dev.weft.internal;

import dev.weft.TaskFuture;
import dev.weft.Unmapped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@code map}: one submitted run per element, written once on top of {@link Engine#submit} so that each
 * run is exactly what {@code submit} would make (its own index and name, the task's options, futures
 * among the arguments resolved by continuation). Every iterable is read once, and all are checked before
 * the first run is submitted, so a bad call submits nothing.
 */
public final class Mapping {
    private static final String[] NAMES = {"a", "b", "c"};

    private Mapping() {}

    /**
     * Submits one run per element, for a task of one argument.
     *
     * @param spec the task
     * @param options its options
     * @param elements the arguments, values or futures
     * @param <R> the value type
     * @return the runs' futures, in the elements' order
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public static <R> List<TaskFuture<R>> each(TaskSpec spec, CallOptions options, Iterable<?> elements) {
        Objects.requireNonNull(elements, "the elements to map");
        Object[] column = elements(elements);
        requireFlowRun(spec);
        List<TaskFuture<R>> futures = new ArrayList<>(column.length);
        for (Object element : column) {
            futures.add(Engine.submitOne(spec, options, element));
        }
        return Collections.unmodifiableList(futures);
    }

    /**
     * Submits one run per position of the mapped arguments, for a task of several arguments. An {@link
     * Iterable} argument is mapped element-wise, except a {@link Path} (an iterable of its own names,
     * almost always meant whole, as Prefect holds strings out); an {@link Unmapped} one, and any other
     * value, is given whole to every run.
     *
     * @param spec the task
     * @param options its options
     * @param args the arguments as given to {@code map}
     * @param <R> the value type
     * @return the runs' futures, in the mapped arguments' order
     * @throws IllegalArgumentException if no argument is mapped, or the mapped ones differ in length
     * @throws IllegalStateException outside a flow run, or once the flow run has finished
     */
    public static <R> List<TaskFuture<R>> zipped(TaskSpec spec, CallOptions options, Object[] args) {
        Object[][] columns = new Object[args.length][];
        Object[] constants = new Object[args.length];
        int length = -1;
        boolean sameLengths = true;
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof Unmapped<?> unmapped) {
                constants[i] = unmapped.value();
            } else if (arg instanceof Iterable<?> iterable && !(arg instanceof Path)) {
                columns[i] = elements(iterable);
                sameLengths &= length < 0 || columns[i].length == length;
                length = length < 0 ? columns[i].length : length;
            } else {
                constants[i] = arg;
            }
        }
        if (length < 0) {
            throw new IllegalArgumentException("map: no argument of task '" + spec.name() + "' is mapped;"
                    + " pass at least one Iterable to map over (constants that are collections go in"
                    + " Task.unmapped(...))");
        }
        if (!sameLengths) {
            throw new IllegalArgumentException("map: the mapped arguments have different lengths: " + lengths(columns));
        }
        requireFlowRun(spec);
        List<TaskFuture<R>> futures = new ArrayList<>(length);
        for (int k = 0; k < length; k++) {
            Object[] call = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                call[i] = columns[i] != null ? columns[i][k] : constants[i];
            }
            futures.add(Engine.submit(spec, options, call));
        }
        return Collections.unmodifiableList(futures);
    }

    private static Object[] elements(Iterable<?> iterable) {
        if (iterable instanceof Collection<?> collection) {
            return collection.toArray(); // one pass, so a concurrent collection gives a consistent copy
        }
        List<Object> copy = new ArrayList<>();
        for (Object element : iterable) {
            copy.add(element);
        }
        return copy.toArray();
    }

    private static String lengths(Object[][] columns) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] != null) {
                if (!b.isEmpty()) {
                    b.append(", ");
                }
                b.append(NAMES[i]).append(" has ").append(columns[i].length);
            }
        }
        return b.toString();
    }

    /** Fails as submit would, also when there is nothing to map. */
    private static void requireFlowRun(TaskSpec spec) {
        if (Context.flowRun() == null) {
            Context.refuseElsewhere("map a task");
            throw new IllegalStateException("Task '" + spec.name() + "' was mapped outside of a flow run."
                    + " Map tasks from inside a flow; outside one, call() runs a task as a plain function.");
        }
    }
}
