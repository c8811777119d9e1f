package dev.weft.internal;

/**
 * The {@link PlacementProperties} with inline continuation and calls that need nothing and have no
 * priority, as most flows submit: such calls start straight from the placement's queue, in the order they
 * came, and still every call runs exactly once and none waits while a worker is free.
 */
public class PlacementPlainLincheckTest extends PlacementProperties {

    public PlacementPlainLincheckTest() {
        super(true, true);
    }
}
