package dev.weft.remote;

import dev.weft.Resources;
import dev.weft.runner.Accelerator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker's own account of its resources. The runner that places a call has already reserved them on this
 * worker, so within one flow run this never waits; it matters when flow runs of several processes share a
 * cluster, where each places by its own account, and a call then waits here until the resources it needs
 * are free.
 *
 * <p>A worker that declares its GPUs from the devices it sees ({@code GPU=auto}) has one {@code GPU} per
 * device, and a call that needs some gets devices of its own here: the fullest device that still has room
 * for a share ({@code GPU=0.5}), or whole free devices for one or more, the first of which is the call's
 * ({@code Gpu.current()}). A call waits while the devices' free shares are too scattered to give it that,
 * even where their sum would do.
 */
final class ResourceGate {
    private static final String GPU = "GPU";
    private static final double EPSILON = 1e-9;

    private final Resources capacity;
    private final Map<String, Double> free = new HashMap<>();
    private final List<Accelerator> devices;
    private final double[] deviceFree;
    private final boolean[] lost;
    private final List<String> lostWhy = new java.util.ArrayList<>();

    ResourceGate(Resources capacity) {
        this(capacity, List.of());
    }

    /** A gate whose {@code GPU} amount is the devices', one each. */
    ResourceGate(Resources capacity, List<Accelerator> devices) {
        this.capacity = capacity;
        this.devices = List.copyOf(devices);
        this.deviceFree = new double[devices.size()];
        java.util.Arrays.fill(deviceFree, 1.0);
        this.lost = new boolean[devices.size()];
        free.putAll(capacity.asMap());
        for (int d = 0; d < this.devices.size(); d++) {
            int index = d;
            this.devices.get(d).whenLost(why -> deviceLost(index, why));
        }
    }

    /** Gives no more calls to a device that is gone; calls that no device left could run are refused. */
    private synchronized void deviceLost(int index, String why) {
        lost[index] = true;
        lostWhy.add(devices.get(index).name() + ": " + why);
        notifyAll();
    }

    /** Whether devices not lost could ever give a call {@code gpus} of them. */
    private boolean possible(double gpus) {
        int left = 0;
        for (boolean gone : lost) {
            left += gone ? 0 : 1;
        }
        return left >= Math.max(1, Math.ceil(gpus - EPSILON));
    }

    /** The devices a call holds, and how much of each; the first is the call's own. */
    record Lease(Accelerator device, int[] indexes, double[] amounts) {}

    /**
     * Takes the amounts, waiting until they are free.
     *
     * @return the devices the call has, or null where it needs none or this worker has none
     * @throws IllegalArgumentException if this worker has less of one than asked, so it could never run it
     */
    synchronized Lease acquire(String[] names, double[] amounts) throws InterruptedException {
        for (int i = 0; i < names.length; i++) {
            if (capacity.amount(names[i]) < amounts[i]) {
                throw new IllegalArgumentException(
                        "this worker has " + capacity + ", and the call needs " + amounts[i] + " " + names[i]);
            }
        }
        double gpus = devices.isEmpty() ? 0 : gpus(names, amounts);
        Lease lease = null;
        while (true) {
            if (gpus > 0 && !possible(gpus)) {
                throw new IllegalArgumentException("the call needs " + gpus + " GPU, and this worker's devices are"
                        + " lost: " + String.join("; ", lostWhy));
            }
            if (fits(names, amounts) && (gpus == 0 || (lease = devicesFor(gpus)) != null)) {
                break;
            }
            wait();
        }
        for (int i = 0; i < names.length; i++) {
            free.merge(names[i], -amounts[i], Double::sum);
        }
        if (lease != null) {
            for (int i = 0; i < lease.indexes.length; i++) {
                deviceFree[lease.indexes[i]] -= lease.amounts[i];
            }
        }
        return lease;
    }

    /** Gives the amounts back, and the devices the call held. */
    synchronized void release(String[] names, double[] amounts, Lease lease) {
        if (names.length == 0) {
            return;
        }
        for (int i = 0; i < names.length; i++) {
            free.merge(names[i], amounts[i], Double::sum);
        }
        if (lease != null) {
            for (int i = 0; i < lease.indexes.length; i++) {
                deviceFree[lease.indexes[i]] += lease.amounts[i];
            }
        }
        notifyAll();
    }

    private static double gpus(String[] names, double[] amounts) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(GPU)) {
                return amounts[i];
            }
        }
        return 0;
    }

    /** Picks the devices for a call that needs {@code gpus} of them, or null if they cannot be had now. */
    private Lease devicesFor(double gpus) {
        if (gpus < 1 - EPSILON) { // a share: the fullest device it fits, so that whole devices stay whole
            int best = -1;
            for (int d = 0; d < deviceFree.length; d++) {
                if (!lost[d] && deviceFree[d] >= gpus - EPSILON && (best < 0 || deviceFree[d] < deviceFree[best])) {
                    best = d;
                }
            }
            return best < 0 ? null : new Lease(devices.get(best), new int[] {best}, new double[] {gpus});
        }
        int whole = (int) Math.ceil(gpus - EPSILON);
        int[] taken = new int[whole];
        int n = 0;
        for (int d = 0; d < deviceFree.length && n < whole; d++) {
            if (!lost[d] && deviceFree[d] >= 1 - EPSILON) {
                taken[n++] = d;
            }
        }
        if (n < whole) {
            return null;
        }
        double[] each = new double[whole];
        double left = gpus;
        for (int i = 0; i < whole; i++) {
            each[i] = Math.min(1.0, left);
            left -= each[i];
        }
        return new Lease(devices.get(taken[0]), taken, each);
    }

    private boolean fits(String[] names, double[] amounts) {
        for (int i = 0; i < names.length; i++) {
            if (free.getOrDefault(names[i], 0d) < amounts[i] - EPSILON) {
                return false;
            }
        }
        return true;
    }
}
