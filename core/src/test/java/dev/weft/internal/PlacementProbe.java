package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.contract.ProbeCall;

/** A call for the placement's tests: it needs what it is given, counts its runs and keeps what crashed it. */
class PlacementProbe extends ProbeCall {
    private final String name;
    private final Resources resources;
    int runs;
    volatile Throwable crashed;

    PlacementProbe() {
        this("probe", Resources.NONE);
    }

    PlacementProbe(String name, Resources resources) {
        this.name = name;
        this.resources = resources;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Resources resources() {
        return resources;
    }

    @Override
    public boolean run(Runnable whenFinal) {
        runs++;
        return true;
    }

    @Override
    public void crash(Throwable cause) {
        crashed = cause;
    }
}
