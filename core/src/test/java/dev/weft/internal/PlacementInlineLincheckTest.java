package dev.weft.internal;

/**
 * The {@link PlacementProperties} with inline continuation: the thread that ends a call runs the best
 * waiting call itself (as every runner does), and still every call runs exactly once and none is left
 * behind.
 */
public class PlacementInlineLincheckTest extends PlacementProperties {

    public PlacementInlineLincheckTest() {
        super(true);
    }
}
