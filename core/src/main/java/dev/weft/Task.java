package dev.weft;

import dev.weft.internal.CallOptions;
import dev.weft.internal.Engine;
import dev.weft.internal.Mapping;
import dev.weft.internal.Node;
import dev.weft.internal.TaskSpec;
import dev.weft.runner.TaskFunction;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A task: a named function whose calls Weft tracks as task runs, with states and logs. Define tasks once,
 * typically as constants, and use them inside flows:
 *
 * {@snippet :
 * static final Task1<String, String> sayHello = Task.of("say_hello", (String name) -> "Hello " + name + "!");
 * static final Task1<String, Void> printResult = Task.of("print_result", (String r) -> System.out.println(r));
 * }
 *
 * <p>Calling a task ({@code call}) runs it in place and returns its value. Submitting it ({@code submit})
 * hands it to the flow's task runner and returns a {@link TaskFuture} at once. Outside a flow, {@code
 * call} runs the function as a plain function (no run, no logs, its exceptions unchanged) and {@code
 * submit} throws {@link IllegalStateException}.
 *
 * <p>A body that returns nothing makes a task whose value is {@code Void}. Java picks between the two
 * kinds of body the way {@code ExecutorService.submit} picks between {@code Callable} and {@code
 * Runnable}: a lambda whose body is a method call that returns a value, such as {@code () -> list.add(x)},
 * is a value-returning body (a {@code Task0<Boolean>}); write {@code () -> { list.add(x); }} for a
 * {@code Void} task. With an implicitly typed parameter ({@code r -> ...}) the compiler cannot choose at
 * all, so give parameters their types ({@code (String r) -> ...}). A body may throw checked exceptions.
 *
 * <p>Tasks are immutable and thread-safe.
 */
public abstract sealed class Task implements Serializable permits Task0, Task1, Task2, Task3 {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    private static final CallOptions NO_UPSTREAM = CallOptions.NONE;

    final transient TaskSpec spec;
    final transient CallOptions options;

    Task(TaskSpec spec, CallOptions options) {
        this.spec = spec;
        this.options = options;
    }

    /**
     * A task travels to another JVM (inside the function of a task that uses it) as its name and function:
     * its options, such as the futures it waits for, stay behind.
     *
     * @return what is serialized in its place
     */
    @java.io.Serial
    final Object writeReplace() {
        int arity =
                switch (this) {
                    case Task0<?> t -> 0;
                    case Task1<?, ?> t -> 1;
                    case Task2<?, ?, ?> t -> 2;
                    case Task3<?, ?, ?, ?> t -> 3;
                };
        return new Shipped(arity, spec.name(), spec.body(), spec.async());
    }

    /**
     * A task as it travels.
     *
     * @param arity how many arguments it takes
     * @param name its name
     * @param body its function
     * @param async whether its function returns a stage
     */
    private record Shipped(int arity, String name, TaskFunction body, boolean async) implements Serializable {
        @java.io.Serial
        private Object readResolve() {
            TaskSpec spec = TaskSpec.of(name, body, async);
            return switch (arity) {
                case 0 -> new Task0<>(spec, NO_UPSTREAM);
                case 1 -> new Task1<>(spec, NO_UPSTREAM);
                case 2 -> new Task2<>(spec, NO_UPSTREAM);
                default -> new Task3<>(spec, NO_UPSTREAM);
            };
        }
    }

    /**
     * Returns the task's name.
     *
     * @return the name, such as {@code say_hello}
     */
    public final String name() {
        return spec.name();
    }

    /**
     * Returns the task's key: 8 hex digits derived from its name that appear in its runs' names.
     *
     * @return the key
     */
    public final String key() {
        return spec.key();
    }

    final <R> TaskFuture<R> submitWith(Object... args) {
        return Engine.submit(spec, options, args);
    }

    final <R> R callWith(Object... args) {
        return Engine.call(spec, options, args);
    }

    final <R> TaskFuture<R> submitOne(Object arg) {
        return Engine.submitOne(spec, options, arg);
    }

    final <R> R callOne(Object arg) {
        return Engine.callOne(spec, options, arg);
    }

    final <R> List<TaskFuture<R>> mapEach(Iterable<?> elements) {
        return Mapping.each(spec, options, elements);
    }

    final <R> List<TaskFuture<R>> mapZipped(Object... args) {
        return Mapping.zipped(spec, options, args);
    }

    final CallOptions plusWaitFor(TaskFuture<?>[] upstream) {
        Node<?>[] nodes = new Node<?>[upstream.length];
        for (int i = 0; i < upstream.length; i++) {
            TaskFuture<?> future = Objects.requireNonNull(upstream[i], "waitFor future");
            if (!(future instanceof Node<?> node)) {
                throw new IllegalArgumentException("Not a Weft future: " + future);
            }
            nodes[i] = node;
        }
        return options.plusWaitFor(nodes);
    }

    final CallOptions plusPriority(int priority) {
        return options.withPriority(priority);
    }

    final CallOptions plusResources(Map<String, ? extends Number> resources) {
        return options.withResources(Resources.of(resources));
    }

    final CallOptions plusRetries(Retries retries) {
        return options.withRetries(Objects.requireNonNull(retries, "retries"));
    }

    final CallOptions plusTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("A task's timeout must be more than zero, not " + timeout);
        }
        return options.withTimeout(timeout);
    }

    final CallOptions plusTags(String... tags) {
        return options.plusTags(Tags.checkAll(tags));
    }

    /**
     * Returns the task's own tags, in the order given.
     *
     * @return the tags
     */
    public final List<String> tags() {
        return options.tags();
    }

    @Override
    public String toString() {
        return "Task '" + spec.name() + "'";
    }

    // ---- factories --------------------------------------------------------------------------------

    /**
     * Makes a task of no arguments.
     *
     * @param name the task's name
     * @param fn its body
     * @param <R> the value type
     * @return the task
     */
    public static <R> Task0<R> of(String name, Fn0<R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task0<>(TaskSpec.of(name, args -> fn.apply(), false), NO_UPSTREAM);
    }

    /**
     * Makes a task of no arguments and no value.
     *
     * @param name the task's name
     * @param fn its body
     * @return the task
     */
    public static Task0<Void> of(String name, Action0 fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task0<>(
                TaskSpec.of(
                        name,
                        args -> {
                            fn.run();
                            return null;
                        },
                        false),
                NO_UPSTREAM);
    }

    /**
     * Makes a task of one argument.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the argument type
     * @param <R> the value type
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public static <A, R> Task1<A, R> of(String name, Fn1<A, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task1<>(TaskSpec.of(name, (TaskFunction.Single) arg -> fn.apply((A) arg), false), NO_UPSTREAM);
    }

    /**
     * Makes a task of one argument and no value.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the argument type
     * @return the task
     */
    @SuppressWarnings({"unchecked", "overloads"}) // see the class comment on implicitly typed lambdas
    public static <A> Task1<A, Void> of(String name, Action1<A> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task1<>(
                TaskSpec.of(
                        name,
                        (TaskFunction.Single) arg -> {
                            fn.run((A) arg);
                            return null;
                        },
                        false),
                NO_UPSTREAM);
    }

    /**
     * Makes a task of two arguments.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the value type
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public static <A, B, R> Task2<A, B, R> of(String name, Fn2<A, B, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task2<>(TaskSpec.of(name, args -> fn.apply((A) args[0], (B) args[1]), false), NO_UPSTREAM);
    }

    /**
     * Makes a task of two arguments and no value.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @return the task
     */
    @SuppressWarnings({"unchecked", "overloads"}) // see the class comment on implicitly typed lambdas
    public static <A, B> Task2<A, B, Void> of(String name, Action2<A, B> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task2<>(
                TaskSpec.of(
                        name,
                        args -> {
                            fn.run((A) args[0], (B) args[1]);
                            return null;
                        },
                        false),
                NO_UPSTREAM);
    }

    /**
     * Makes a task of three arguments.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <C> the third argument's type
     * @param <R> the value type
     * @return the task
     */
    @SuppressWarnings("unchecked")
    public static <A, B, C, R> Task3<A, B, C, R> of(String name, Fn3<A, B, C, R> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task3<>(
                TaskSpec.of(name, args -> fn.apply((A) args[0], (B) args[1], (C) args[2]), false), NO_UPSTREAM);
    }

    /**
     * Makes a task of three arguments and no value.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <C> the third argument's type
     * @return the task
     */
    @SuppressWarnings({"unchecked", "overloads"}) // see the class comment on implicitly typed lambdas
    public static <A, B, C> Task3<A, B, C, Void> of(String name, Action3<A, B, C> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task3<>(
                TaskSpec.of(
                        name,
                        args -> {
                            fn.run((A) args[0], (B) args[1], (C) args[2]);
                            return null;
                        },
                        false),
                NO_UPSTREAM);
    }

    /**
     * Makes an asynchronous task of no arguments: its body returns a {@link CompletionStage}, and the run
     * ends when the stage does, without holding a thread while it waits.
     *
     * @param name the task's name
     * @param fn its body
     * @param <R> the value type
     * @return the task
     */
    public static <R> Task0<R> async(String name, Fn0<? extends CompletionStage<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task0<>(TaskSpec.of(name, args -> fn.apply(), true), NO_UPSTREAM);
    }

    /**
     * Makes an asynchronous task of one argument.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the argument type
     * @param <R> the value type
     * @return the task
     * @see #async(String, Fn0)
     */
    @SuppressWarnings("unchecked")
    public static <A, R> Task1<A, R> async(String name, Fn1<A, ? extends CompletionStage<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task1<>(TaskSpec.of(name, (TaskFunction.Single) arg -> fn.apply((A) arg), true), NO_UPSTREAM);
    }

    /**
     * Makes an asynchronous task of two arguments.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the value type
     * @return the task
     * @see #async(String, Fn0)
     */
    @SuppressWarnings("unchecked")
    public static <A, B, R> Task2<A, B, R> async(String name, Fn2<A, B, ? extends CompletionStage<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task2<>(TaskSpec.of(name, args -> fn.apply((A) args[0], (B) args[1]), true), NO_UPSTREAM);
    }

    /**
     * Makes an asynchronous task of three arguments.
     *
     * @param name the task's name
     * @param fn its body
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <C> the third argument's type
     * @param <R> the value type
     * @return the task
     * @see #async(String, Fn0)
     */
    @SuppressWarnings("unchecked")
    public static <A, B, C, R> Task3<A, B, C, R> async(String name, Fn3<A, B, C, ? extends CompletionStage<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return new Task3<>(
                TaskSpec.of(name, args -> fn.apply((A) args[0], (B) args[1], (C) args[2]), true), NO_UPSTREAM);
    }

    /**
     * Holds a constant argument of {@code map} out of the mapping (Prefect's {@code unmapped}): every run
     * gets the whole value. Needed for a constant that is an {@link Iterable}, such as a list.
     *
     * @param value the constant
     * @param <T> its type
     * @return the wrapped constant
     * @see Task2#map(Object, Object)
     */
    public static <T> Unmapped<T> unmapped(T value) {
        return Unmapped.of(value);
    }

    // ---- bodies -----------------------------------------------------------------------------------

    /**
     * The body of a task of no arguments.
     *
     * @param <R> the value type
     */
    @FunctionalInterface
    public interface Fn0<R> extends Serializable {
        /**
         * Runs the body.
         *
         * @return the value
         * @throws Exception whatever the body throws; the run then fails
         */
        R apply() throws Exception;
    }

    /**
     * The body of a task of one argument.
     *
     * @param <A> the argument type
     * @param <R> the value type
     */
    @FunctionalInterface
    public interface Fn1<A, R> extends Serializable {
        /**
         * Runs the body.
         *
         * @param a the argument
         * @return the value
         * @throws Exception whatever the body throws; the run then fails
         */
        R apply(A a) throws Exception;
    }

    /**
     * The body of a task of two arguments.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <R> the value type
     */
    @FunctionalInterface
    public interface Fn2<A, B, R> extends Serializable {
        /**
         * Runs the body.
         *
         * @param a the first argument
         * @param b the second argument
         * @return the value
         * @throws Exception whatever the body throws; the run then fails
         */
        R apply(A a, B b) throws Exception;
    }

    /**
     * The body of a task of three arguments.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <C> the third argument's type
     * @param <R> the value type
     */
    @FunctionalInterface
    public interface Fn3<A, B, C, R> extends Serializable {
        /**
         * Runs the body.
         *
         * @param a the first argument
         * @param b the second argument
         * @param c the third argument
         * @return the value
         * @throws Exception whatever the body throws; the run then fails
         */
        R apply(A a, B b, C c) throws Exception;
    }

    /** The body of a task of no arguments and no value. */
    @FunctionalInterface
    public interface Action0 extends Serializable {
        /**
         * Runs the body.
         *
         * @throws Exception whatever the body throws; the run then fails
         */
        void run() throws Exception;
    }

    /**
     * The body of a task of one argument and no value.
     *
     * @param <A> the argument type
     */
    @FunctionalInterface
    public interface Action1<A> extends Serializable {
        /**
         * Runs the body.
         *
         * @param a the argument
         * @throws Exception whatever the body throws; the run then fails
         */
        void run(A a) throws Exception;
    }

    /**
     * The body of a task of two arguments and no value.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     */
    @FunctionalInterface
    public interface Action2<A, B> extends Serializable {
        /**
         * Runs the body.
         *
         * @param a the first argument
         * @param b the second argument
         * @throws Exception whatever the body throws; the run then fails
         */
        void run(A a, B b) throws Exception;
    }

    /**
     * The body of a task of three arguments and no value.
     *
     * @param <A> the first argument's type
     * @param <B> the second argument's type
     * @param <C> the third argument's type
     */
    @FunctionalInterface
    public interface Action3<A, B, C> extends Serializable {
        /**
         * Runs the body.
         *
         * @param a the first argument
         * @param b the second argument
         * @param c the third argument
         * @throws Exception whatever the body throws; the run then fails
         */
        void run(A a, B b, C c) throws Exception;
    }
}
