package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.InsufficientResourcesException;
import dev.weft.Resources;
import dev.weft.runner.Placement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A retired worker, such as a lost device, gets no more calls, and what only it could run crashes at once. */
final class PlacementRetireTest {
    private static final Resources GPU = Resources.of("GPU", 1);

    private final List<Placement.Placed> launched = new ArrayList<>();
    private final Placement placement = Placement.builder("TestRunner")
            .worker("gpu-0", GPU, 1)
            .worker("gpu-1", GPU, 1)
            .continueInline(false) // every start goes through the launcher, where the test sees it
            .launcher(launched::add)
            .build();

    @Test
    void shouldPlaceNothingMoreOnARetiredWorkerAndLetItsCallsEnd() {
        PlacementProbe first = submit();
        PlacementProbe second = submit();
        PlacementProbe third = submit();
        assertThat(launched).extracting(Placement.Placed::worker).containsExactly("gpu-0", "gpu-1");

        assertThat(placement.retireWorker("gpu-0", "its device was lost")).isTrue();
        launched.getFirst().run(); // the call on the lost device ends there, as it will
        assertThat(launched).as("nothing placed on gpu-0 after it was retired").hasSize(2);

        launched.get(1).run();
        assertThat(launched).extracting(Placement.Placed::worker).containsExactly("gpu-0", "gpu-1", "gpu-1");
        assertThat(launched.get(2).call()).isSameAs(third);
        assertThat(first.runs + second.runs).isEqualTo(2);
        assertThat(placement.retireWorker("gpu-0", "again")).as("retired once").isFalse();
    }

    @Test
    void shouldCrashWhatNoWorkerLeftCanRunSayingWhichWasRetiredAndWhy() {
        submit();
        submit();
        PlacementProbe waiting = submit();

        placement.retireWorker("gpu-0", "its device was lost: CL_DEVICE_NOT_AVAILABLE");
        placement.retireWorker("gpu-1", "its device was lost: CL_OUT_OF_RESOURCES");
        launched.getFirst().run(); // a release measures the waiting calls against the workers left

        assertThat(waiting.crashed)
                .isInstanceOf(InsufficientResourcesException.class)
                .hasMessageContaining("No worker of TestRunner is left to run it")
                .hasMessageContaining("gpu-0: its device was lost: CL_DEVICE_NOT_AVAILABLE");
        assertThatThrownBy(this::submit)
                .isInstanceOf(InsufficientResourcesException.class)
                .hasMessageContaining("gpu-1: its device was lost: CL_OUT_OF_RESOURCES");
    }

    @Test
    void shouldCrashACallThatWaitedForASlotWhenTheOnlyWorkerThatFitsItIsRetired() {
        Placement one = Placement.builder("TestRunner")
                .worker("gpu-0", GPU, 1)
                .continueInline(false)
                .launcher(launched::add)
                .build();
        one.submit(new PlacementProbe("probe", GPU));
        PlacementProbe queued = new PlacementProbe("probe", GPU);
        one.submit(queued); // its slot is taken: it waits, not yet sorted

        one.retireWorker("gpu-0", "its device was lost");

        assertThat(queued.crashed)
                .isInstanceOf(InsufficientResourcesException.class)
                .hasMessageContaining("gpu-0: its device was lost");
    }

    private PlacementProbe submit() {
        PlacementProbe probe = new PlacementProbe("probe", GPU);
        placement.submit(probe);
        return probe;
    }
}
