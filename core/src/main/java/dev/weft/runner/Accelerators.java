package dev.weft.runner;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the devices of {@code GPU=auto}: the host's, as the {@link AcceleratorProvider} on the class path
 * for the resource opens them.
 */
public final class Accelerators {
    /** The amount that asks a runner to declare a resource from the devices it sees: {@code GPU=auto}. */
    public static final String AUTO = "auto";

    private Accelerators() {}

    /**
     * Opens the devices this process may use that count as a resource.
     *
     * @param resource such as {@code GPU}
     * @param runner the runner that asks, for the message
     * @return the devices, possibly none; the caller closes them
     * @throws IllegalStateException if no provider on the class path opens such devices, naming the module to
     *     add
     */
    public static List<Accelerator> open(String resource, String runner) {
        return List.copyOf(provider(resource, runner).open());
    }

    /**
     * Opens one of the devices that {@link #open(String, String)} opens: the one at {@code position} in their
     * order, or none where there are fewer ({@link AcceleratorProvider#open(int)}).
     *
     * @param resource such as {@code GPU}
     * @param runner the runner that asks, for the message
     * @param position 0 for the first
     * @return the device, or none; the caller closes it
     * @throws IllegalStateException if no provider on the class path opens such devices, naming the module to
     *     add
     */
    public static List<Accelerator> open(String resource, String runner, int position) {
        return List.copyOf(provider(resource, runner).open(position));
    }

    private static AcceleratorProvider provider(String resource, String runner) {
        for (AcceleratorProvider provider :
                ServiceLoader.load(AcceleratorProvider.class, Accelerators.class.getClassLoader())) {
            if (provider.resource().equals(resource)) {
                return provider;
            }
        }
        throw new IllegalStateException(runner + " was asked for " + resource + "=" + AUTO + ", and nothing on the"
                + " class path finds such devices: add dev.weft:weft-runner-gpu, which finds OpenCL devices");
    }

    /**
     * Closes devices, each as far as it can be.
     *
     * @param devices the devices
     */
    public static void closeAll(List<? extends Accelerator> devices) {
        for (Accelerator device : devices) {
            try {
                device.close();
            } catch (RuntimeException ignored) {
                // released as far as the driver can
            }
        }
    }
}
