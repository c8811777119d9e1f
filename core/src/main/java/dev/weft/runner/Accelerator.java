package dev.weft.runner;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A device a call can have to itself, such as an OpenCL GPU, found by a module on the class path (Weft's
 * {@code weft-runner-gpu}) through an {@link AcceleratorProvider}. A runner that declares its GPUs from the
 * devices it sees ({@code GPU=auto}) gives each device a worker, or a share of its resources, and runs each
 * call placed there inside {@link #run}, where the task reaches the device (for an OpenCL device, through
 * {@code Gpu.current()}).
 *
 * <p>Thread-safe: calls on several threads may run on one device at once.
 */
public interface Accelerator extends AutoCloseable {
    /**
     * Returns the resource one device counts as, such as {@code GPU}.
     *
     * @return the resource's name
     */
    String resource();

    /**
     * Returns the device's name among the host's, such as {@code gpu-0}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the device in a few words, for start lines, such as {@code NVIDIA H100 (GPU, 80 GiB)}.
     *
     * @return the description
     */
    String describe();

    /**
     * Runs a call on this thread with this device as the call's own, and releases what the call made on it
     * when it returns, whatever its outcome.
     *
     * @param call the call
     * @param <T> what it returns
     * @return what the call returned
     */
    <T> T run(Supplier<T> call);

    /**
     * Tells the listener once, with why, if the device is found gone (lost by its driver, or no longer
     * available), so that the runner places nothing more on it. The call that found it ends with the
     * device's fault.
     *
     * @param listener told why, such as {@code its device was lost: CL_DEVICE_NOT_AVAILABLE}
     */
    void whenLost(Consumer<String> listener);

    /** Releases the device's context and what was kept on it; calls no longer run on it after. */
    @Override
    void close();
}
