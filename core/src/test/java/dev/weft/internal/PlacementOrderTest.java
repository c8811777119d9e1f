package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Resources;
import dev.weft.runner.Placement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/**
 * Calls that wait start by priority, then in the order they came, however many wait: across the
 * placement's segments of waiting calls, as those fill, empty and are taken again for more calls, and
 * across the calls of two shapes that one worker fits.
 */
final class PlacementOrderTest {
    private static final Resources GPU = Resources.of("GPU", 1);
    private static final int[] PRIORITIES = {0, 0, 3, 0, -1, 0, 3, 7, 0, 0, -1};

    private final List<Placement.Placed> launched = new ArrayList<>();
    private final List<String> started = new ArrayList<>();
    private final PriorityQueue<Probe> expected = new PriorityQueue<>(
            Comparator.comparingInt((Probe p) -> -p.priority).thenComparingInt(p -> p.arrival));
    private final List<String> expectedOrder = new ArrayList<>();
    private int arrivals;
    private int ran;

    @Test
    void shouldStartTheWaitingCallsByPriorityThenArrivalAcrossManySegments() {
        Placement placement = placement(1, GPU);
        submit(placement, GPU, 1); // starts at once: the worker's one slot is free
        submit(placement, GPU, 1_500);
        runNext(700);
        submit(placement, GPU, 2_000);
        runNext(1_000);
        submit(placement, GPU, 10); // into a level that was emptied and refilled
        runNext(Integer.MAX_VALUE);
        assertThat(expected).isEmpty();
        assertThat(started).hasSize(3_511).containsExactlyElementsOf(expectedOrder);
    }

    @Test
    void shouldStartCallsInTheirOrderWhenTheirLevelsEmptyAgainAndAgain() {
        Placement placement = placement(1, Resources.NONE);
        submit(placement, Resources.NONE, 1);
        for (int round = 0; round < 5; round++) {
            submit(placement, Resources.NONE, 255 + round); // a segment's worth, give or take one
            runNext(Integer.MAX_VALUE);
        }
        assertThat(started).hasSize(1 + 255 + 256 + 257 + 258 + 259).containsExactlyElementsOf(expectedOrder);
    }

    @Test
    void shouldStartPlainCallsInTheirOrderThenByPriorityOnceACallHasOne() {
        Placement placement = placement(2, Resources.NONE);
        submitPlain(placement, 600); // two start at once; the rest wait in the order they came
        runNext(100);
        submit(placement, Resources.NONE, 300); // priorities now: they start before the plain calls still waiting
        runNext(200);
        submitPlain(placement, 50);
        runNext(Integer.MAX_VALUE);
        assertThat(expected).isEmpty();
        assertThat(started).hasSize(950).containsExactlyElementsOf(expectedOrder);
        assertThat(started.subList(0, 102)).allMatch(name -> name.startsWith("plain-"));
    }

    /** Workers of one slot each; each call that ends starts the next through the launcher, one at a time. */
    private Placement placement(int workers, Resources resources) {
        return Placement.builder("TestRunner")
                .workers(workers, resources, 1)
                .launcher(this::launch)
                .continueInline(false)
                .build();
    }

    private void submitPlain(Placement placement, int count) {
        for (int i = 0; i < count; i++) {
            int n = arrivals++;
            Probe probe = new Probe("plain-" + n, Resources.NONE, 0, n);
            expected.add(probe);
            placement.submit(probe);
        }
    }

    private void submit(Placement placement, Resources shape, int count) {
        for (int i = 0; i < count; i++) {
            int n = arrivals++;
            int priority = PRIORITIES[n % PRIORITIES.length];
            Probe probe = new Probe("call-" + n, n % 3 == 0 ? shape : Resources.NONE, priority, n);
            expected.add(probe);
            placement.submit(probe);
        }
    }

    /** The placement starts a call: the model's best of what was submitted by now should be the one. */
    private void launch(Placement.Placed placed) {
        launched.add(placed);
        started.add(placed.call().name());
        expectedOrder.add(expected.poll().name());
    }

    /** Ends up to {@code count} running calls, one at a time; each end starts the best waiting call. */
    private void runNext(int count) {
        for (int i = 0; i < count && ran < launched.size(); i++) {
            launched.get(ran++).run();
        }
    }

    private static final class Probe extends PlacementProbe {
        final int priority;
        final int arrival;

        Probe(String name, Resources resources, int priority, int arrival) {
            super(name, resources);
            this.priority = priority;
            this.arrival = arrival;
        }

        @Override
        public int priority() {
            return priority;
        }
    }
}
