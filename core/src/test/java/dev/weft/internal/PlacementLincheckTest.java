package dev.weft.internal;

/** The {@link PlacementProperties} of a placement that launches every call it starts. */
public class PlacementLincheckTest extends PlacementProperties {

    public PlacementLincheckTest() {
        super(false);
    }
}
