package dev.weft.jmh;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports how much heap an iteration held: {@code -prof dev.weft.jmh.PeakHeap}.
 * Before each iteration it collects the garbage and notes the heap in use (the baseline); during the
 * iteration it notes the heap in use after every collection. It reports, in MB (2^20 bytes), each the
 * maximum over iterations:
 *
 * <ul>
 *   <li>{@code heap.peak}: the most heap in use after a collection during the iteration. After a young
 *       collection this counts the old generation whole, garbage that reached it included, so it is an
 *       upper bound of what was reachable;
 *   <li>{@code heap.peak.growth}: that less the baseline;
 *   <li>{@code heap.live.growth}, only where the benchmark asked for a full collection ({@code
 *       System.gc()}): the heap in use after it, less the baseline: exactly what the benchmark kept
 *       reachable at that moment.
 * </ul>
 *
 * <p>An iteration in which no collection happened reports the baseline (a growth of 0): it held too little
 * to make one. The {@code Scale} benchmark allocates far more than the young generation.
 */
public final class PeakHeap implements InternalProfiler {
    private static final double MB = 1024d * 1024d;
    private static final String SYSTEM_GC = "System.gc()";

    /** The heap's pools (a collector's notification lists the others too, such as the metaspace). */
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());

    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong asked = new AtomicLong(-1);
    private final List<Registration> registrations = new ArrayList<>();
    private long baseline;

    private record Registration(NotificationEmitter emitter, NotificationListener listener) {}

    /** Creates the profiler; JMH does, by its class name. */
    public PeakHeap() {}

    @Override
    public String getDescription() {
        return "Heap kept alive at the peak of each iteration (in use after collections), and its growth";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        System.gc();
        baseline = usedHeap();
        peak.set(baseline);
        asked.set(-1);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                NotificationListener listener = this::collected;
                emitter.addNotificationListener(listener, null, null);
                registrations.add(new Registration(emitter, listener));
            }
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        for (Registration r : registrations) {
            try {
                r.emitter().removeNotificationListener(r.listener());
            } catch (javax.management.ListenerNotFoundException e) {
                // removed already: nothing to do
            }
        }
        registrations.clear();
        long top = peak.get();
        List<Result> results = new ArrayList<>(List.of(
                new ScalarResult("heap.peak", top / MB, "MB", AggregationPolicy.MAX),
                new ScalarResult("heap.peak.growth", Math.max(0, top - baseline) / MB, "MB", AggregationPolicy.MAX)));
        long live = asked.get();
        if (live >= 0) {
            results.add(new ScalarResult(
                    "heap.live.growth", Math.max(0, live - baseline) / MB, "MB", AggregationPolicy.MAX));
        }
        return results;
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (HEAP_POOLS.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        peak.accumulateAndGet(used, Math::max);
        if (SYSTEM_GC.equals(info.getGcCause())) {
            asked.accumulateAndGet(used, Math::max);
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
