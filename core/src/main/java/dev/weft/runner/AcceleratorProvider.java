package dev.weft.runner;

import java.util.List;

/**
 * Opens the host's devices of one kind for runners that declare them from what they see ({@code GPU=auto});
 * registered for {@link java.util.ServiceLoader}, as {@code weft-runner-gpu} registers its OpenCL devices.
 */
public interface AcceleratorProvider {
    /**
     * Returns the resource the devices count as, such as {@code GPU}.
     *
     * @return the resource's name
     */
    String resource();

    /**
     * Opens the devices this process may use: all of the host's, or those an environment variable names
     * (for OpenCL, {@code WEFT_GPU_DEVICES}).
     *
     * @return the devices, possibly none; the caller closes them
     * @throws RuntimeException with a message that says what to install, if the devices cannot be had at all
     */
    List<Accelerator> open();

    /**
     * Opens one of the devices that {@link #open()} opens: the one at {@code position} in their order, or none
     * where there are fewer; for workers on one host that split its devices, one each, as a temporary cluster's
     * do. This default opens them all and closes the others; a provider that can open one alone does so.
     *
     * @param position 0 for the first
     * @return the device, or none
     * @throws RuntimeException as {@link #open()} does
     */
    default List<Accelerator> open(int position) {
        List<Accelerator> all = open();
        List<Accelerator> others = new java.util.ArrayList<>(all);
        if (position < 0 || position >= all.size()) {
            Accelerators.closeAll(others);
            return List.of();
        }
        Accelerator kept = others.remove(position);
        Accelerators.closeAll(others);
        return List.of(kept);
    }
}
