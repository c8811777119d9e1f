package dev.weft.remote;

import dev.weft.Resources;
import java.util.HashMap;
import java.util.Map;

/**
 * A worker's own account of its resources. The runner that places a call has already reserved them on this
 * worker, so within one flow run this never waits; it matters when flow runs of several processes share a
 * cluster, where each places by its own account, and a call then waits here until the resources it needs
 * are free.
 */
final class ResourceGate {
    private final Resources capacity;
    private final Map<String, Double> free = new HashMap<>();

    ResourceGate(Resources capacity) {
        this.capacity = capacity;
        free.putAll(capacity.asMap());
    }

    /**
     * Takes the amounts, waiting until they are free.
     *
     * @throws IllegalArgumentException if this worker has less of one than asked, so it could never run it
     */
    synchronized void acquire(String[] names, double[] amounts) throws InterruptedException {
        for (int i = 0; i < names.length; i++) {
            if (capacity.amount(names[i]) < amounts[i]) {
                throw new IllegalArgumentException(
                        "this worker has " + capacity + ", and the call needs " + amounts[i] + " " + names[i]);
            }
        }
        while (!fits(names, amounts)) {
            wait();
        }
        for (int i = 0; i < names.length; i++) {
            free.merge(names[i], -amounts[i], Double::sum);
        }
    }

    /** Gives the amounts back. */
    synchronized void release(String[] names, double[] amounts) {
        if (names.length == 0) {
            return;
        }
        for (int i = 0; i < names.length; i++) {
            free.merge(names[i], amounts[i], Double::sum);
        }
        notifyAll();
    }

    private boolean fits(String[] names, double[] amounts) {
        for (int i = 0; i < names.length; i++) {
            if (free.getOrDefault(names[i], 0d) < amounts[i] - 1e-9) {
                return false;
            }
        }
        return true;
    }
}
