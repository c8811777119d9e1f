package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Resources;
import dev.weft.runner.Placement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A placed call that ended is what the next call placed on its worker goes in, so that a chain of calls,
 * each made ready as the one before ends, makes no placed call per call; but never where someone else may
 * still hold the one that ended.
 */
final class PlacementSpareTest {
    private final List<Placement.Placed> launched = new ArrayList<>();

    private Placement.Builder oneWorker() {
        return Placement.builder("TestRunner").workers(1, Resources.NONE, 1).launcher(launched::add);
    }

    @Test
    void shouldPlaceTheNextCallInThePlacedCallOfItsWorkerThatEnded() {
        Placement placement = oneWorker().continueInline(true).build();
        PlacementProbe first = new PlacementProbe();
        placement.submit(first);
        Placement.Placed placed = launched.getFirst();
        placed.run();

        PlacementProbe second = new PlacementProbe();
        placement.submit(second);
        assertThat(launched).hasSize(2);
        assertThat(launched.get(1)).as("the placed call that ended, reused").isSameAs(placed);
        assertThat(launched.get(1).call()).isSameAs(second);
        assertThat(launched.get(1).worker()).isEqualTo("worker-0");
        launched.get(1).run();
        assertThat(first.runs).isEqualTo(1);
        assertThat(second.runs).isEqualTo(1);
        assertThat(second.crashed).isNull();
    }

    @Test
    void shouldMakeANewPlacedCallWhileTheOneBeforeStillRuns() {
        Placement placement = Placement.builder("TestRunner")
                .workers(2, Resources.NONE, 1)
                .launcher(launched::add)
                .build();
        placement.submit(new PlacementProbe());
        placement.submit(new PlacementProbe()); // the first still runs: the second goes to the other worker
        assertThat(launched).hasSize(2);
        assertThat(launched.get(1)).isNotSameAs(launched.getFirst());
        assertThat(launched).extracting(Placement.Placed::worker).containsExactly("worker-0", "worker-1");
    }

    @Test
    void shouldNotReuseAPlacedCallThatItsWaiterOrAWorkerThatLeavesMayHold() {
        for (Placement placement : List.of(
                oneWorker().callerRuns().build(), oneWorker().workersMayLeave().build())) {
            launched.clear();
            PlacementProbe first = new PlacementProbe();
            placement.submit(first);
            Placement.Placed placed = launched.getFirst();
            placed.run();
            placement.submit(new PlacementProbe());
            assertThat(launched).hasSize(2);
            assertThat(launched.get(1)).isNotSameAs(placed);
            assertThat(placed.call()).as("the call it held is still its own").isSameAs(first);
        }
    }
}
