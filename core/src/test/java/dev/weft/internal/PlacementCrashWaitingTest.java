package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Resources;
import dev.weft.runner.Placement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A runner that shuts down while a thread is placing calls still crashes every call that waits, and every
 * call submitted after, and starts none of them: the thread that is placing crashes them when it looks
 * again.
 */
final class PlacementCrashWaitingTest {
    private final List<Placement.Placed> launched = new ArrayList<>();
    private Placement placement;

    private Placement oneSlot(boolean continueInline) {
        return placement = Placement.builder("TestRunner")
                .workers(1, Resources.NONE, 1)
                .continueInline(continueInline)
                .launcher(placed -> {
                    launched.add(placed);
                    if (placed.call().name().equals("closing")) {
                        close(); // as the runner shuts down while this thread places calls
                    }
                })
                .build();
    }

    private void close() {
        placement.crashWaiting("TestRunner was shut down");
    }

    @Test
    void shouldCrashTheCallsThatWaitWhenItShutsDownWhileAThreadPlacesCalls() {
        Placement p = oneSlot(false);
        PlacementProbe first = new PlacementProbe();
        p.submit(first);
        PlacementProbe closing = new PlacementProbe("closing", Resources.NONE);
        PlacementProbe waiting = new PlacementProbe();
        p.submit(closing);
        p.submit(waiting); // both wait for the one slot

        launched.getFirst().run(); // gives the slot back: this thread places the next call, and shuts down

        assertThat(waiting.crashed).hasMessage("TestRunner was shut down");
        assertThat(launched).hasSize(2);
        launched.getLast().run();
        assertThat(waiting.runs).isZero();
        assertThat(first.runs + closing.runs).isEqualTo(2);
    }

    @Test
    void shouldStartNoCallAfterItShutDownNotEvenAsTheNextOneOfAThreadThatEndedOne() {
        Placement p = oneSlot(true);
        PlacementProbe first = new PlacementProbe();
        p.submit(first);
        PlacementProbe waiting = new PlacementProbe();
        p.submit(waiting);
        close();
        assertThat(waiting.crashed).hasMessage("TestRunner was shut down");

        PlacementProbe later = new PlacementProbe();
        p.submit(later); // the runner would refuse it; if one comes all the same, it crashes
        launched.getFirst().run(); // the thread that ends a call looks for the next one to run
        assertThat(later.crashed).hasMessage("TestRunner was shut down");
        assertThat(waiting.runs + later.runs).isZero();
        assertThat(launched).hasSize(1);
    }
}
