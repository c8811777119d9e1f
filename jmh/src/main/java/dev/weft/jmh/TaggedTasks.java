package dev.weft.jmh;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.WeftClient;
import dev.weft.spi.SlotStore;
import dev.weft.spi.SlotStores;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a tag concurrency limit costs inside one process: the {@link IndependentTasks} batch (10,000 no-op
 * tasks, each returning its input, all submitted, then every result taken and summed) on {@link
 * ConcurrentTaskRunner}, with the task tagged under a limit of 4 or not. Limits live in the memory of the
 * process ({@link SlotStores#inMemory()}), so the row measures the limiter, not a database.
 *
 * <p>The {@code tag} rows:
 *
 * <ul>
 *   <li>{@code none}: the task as is; it never reaches the limiter.
 *   <li>{@code limited}: the task {@code withTags("bench")}, with a limit of 4 on the tag: each run takes a
 *       slot before it goes to the runner, most of them wait {@code QUEUED} first, and each release hands
 *       its slot to the oldest queued run.
 * </ul>
 *
 * <p>Scores are tasks per second (higher is better), {@code @OperationsPerInvocation(10_000)}, the whole
 * flow run in each invocation. {@code limited / none} is the share of the untagged throughput that limited
 * tasks keep. With {@code -prof gc}, {@code gc.alloc.rate.norm} is bytes per task.
 *
 * <pre>{@code
 * jmh/bench TaggedTasks -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class TaggedTasks {
    static final int TASKS = 10_000;
    static final int LIMIT = 4;
    private static final long EXPECTED_SUM = (long) TASKS * (TASKS - 1) / 2;
    private static final String TAG = "bench";

    private static final Task1<Integer, Integer> NOOP = Task.of("noop", (Integer x) -> x);

    /** The row: {@code none} for untagged tasks, {@code limited} for tasks tagged under a limit of 4. */
    @Param({"none", "limited"})
    public String tag;

    private Flow<Long> flow;
    private SlotStore previous;

    /** Puts the limits in memory, sets the limit, and makes the row's flow. */
    @Setup(Level.Trial)
    public void setUp() {
        previous = SlotStores.use(SlotStores.inMemory());
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit(TAG, LIMIT);
        }
        Task1<Integer, Integer> task =
                switch (tag) {
                    case "none" -> NOOP;
                    case "limited" -> NOOP.withTags(TAG);
                    default -> throw new IllegalArgumentException("'" + tag + "' is not a row; known: none, limited");
                };
        flow = Flow.of("tagged-tasks", new ConcurrentTaskRunner(), () -> IndependentTasks.weftBatch(task));
    }

    /** Puts back the store the process had. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (previous != null) {
            SlotStores.use(previous);
        }
    }

    /**
     * Runs and awaits the 10,000 tasks once.
     *
     * @return the sum of their results, checked
     */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    public long batch() {
        long sum = flow.call();
        if (sum != EXPECTED_SUM) {
            throw new IllegalStateException("tag " + tag + ": the results sum to " + sum + ", not " + EXPECTED_SUM);
        }
        return sum;
    }
}
