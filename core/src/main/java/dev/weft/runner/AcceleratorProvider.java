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
}
