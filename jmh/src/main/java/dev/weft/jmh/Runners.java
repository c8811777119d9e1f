package dev.weft.jmh;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.SequentialTaskRunner;
import dev.weft.TaskRunner;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * The rows of every benchmark: what each value of a {@code runner} parameter stands for. A {@code weft-}
 * row is a Weft {@link TaskRunner}; a {@code jdk-} row is a bare-JDK executor on which the benchmark runs
 * its own plain-Java version of the same work. A new Weft runner is one line in {@code WEFT}, plus its
 * name in the {@code @Param} list of each benchmark that should show it.
 *
 * <p>Stateless; thread-safe.
 */
final class Runners {
    /** A virtual-thread-per-task executor: {@link Executors#newVirtualThreadPerTaskExecutor()}. */
    static final String JDK_VIRTUAL = "jdk-virtual";

    /** A dedicated {@link ForkJoinPool} with one thread per core (the common pool has one fewer). */
    static final String JDK_FORKJOIN = "jdk-forkjoin";

    /** A {@code CompletableFuture} chain on the same dedicated {@link ForkJoinPool}; chains only. */
    static final String JDK_CF_CHAIN = "jdk-cf-chain";

    /**
     * {@link ForkJoinTaskRunner} with its defaults: one worker per core, one thread each, no resources; as
     * many threads as the {@link #JDK_FORKJOIN} pool.
     */
    static final String WEFT_FORKJOIN = "weft-forkjoin";

    /** Weft rows: the runner a flow is given; each flow run starts and stops its own copy. */
    private static final Map<String, Supplier<TaskRunner>> WEFT = Map.of(
            "weft-sequential",
            SequentialTaskRunner::new,
            "weft-concurrent",
            ConcurrentTaskRunner::new,
            WEFT_FORKJOIN,
            ForkJoinTaskRunner::new);

    /** Bare-JDK rows: the executor, made once per trial and closed after it. */
    private static final Map<String, Supplier<ExecutorService>> JDK = Map.of(
            JDK_VIRTUAL, Executors::newVirtualThreadPerTaskExecutor,
            JDK_FORKJOIN, Runners::newForkJoinPool,
            JDK_CF_CHAIN, Runners::newForkJoinPool);

    static {
        // Benchmarks measure the engine: no run history unless asked for (-Dweft.history=store, or a
        // benchmark's history parameter), as a user's process without the store on its class path.
        if (System.getProperty("weft.history") == null) {
            System.setProperty("weft.history", "off");
        }
    }

    private Runners() {}

    /**
     * Sets what this fork observes of its runs, before its first flow run: JMH runs each combination of
     * parameters in a JVM of its own, so that rows with and without them compare in one run.
     *
     * @param history {@code off}, {@code memory} or {@code store}: where the run history goes
     * @param counters {@code on} or {@code off}: the counters file that {@code weft stat} reads
     */
    static void observe(String history, String counters) {
        System.setProperty("weft.history", history);
        System.setProperty("weft.counters", counters);
    }

    /**
     * Returns a new, unstarted Weft runner for a row; a flow copies it for each flow run.
     *
     * @param row the parameter's value
     * @return the runner
     * @throws IllegalArgumentException if the row is not a Weft runner known here
     */
    static TaskRunner weft(String row) {
        Supplier<TaskRunner> runner = WEFT.get(row);
        if (runner == null) {
            throw unknown(row, "Weft runner", WEFT);
        }
        return runner.get();
    }

    /**
     * Returns a new executor for a bare-JDK row. The caller closes it.
     *
     * @param row the parameter's value
     * @return the executor
     * @throws IllegalArgumentException if the row is not a JDK baseline known here
     */
    static ExecutorService jdk(String row) {
        Supplier<ExecutorService> executor = JDK.get(row);
        if (executor == null) {
            throw unknown(row, "JDK baseline", JDK);
        }
        return executor.get();
    }

    /** One worker per core, as many as a Weft runner on the same machine may use. */
    private static ForkJoinPool newForkJoinPool() {
        return new ForkJoinPool(Runtime.getRuntime().availableProcessors());
    }

    private static IllegalArgumentException unknown(String row, String kind, Map<String, ?> known) {
        return new IllegalArgumentException(
                "'" + row + "' is not a " + kind + " known here; known: " + new TreeSet<>(known.keySet()));
    }
}
