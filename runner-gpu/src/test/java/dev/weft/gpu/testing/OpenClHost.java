package dev.weft.gpu.testing;

import dev.weft.gpu.Device;
import dev.weft.gpu.GpuTaskRunner;
import dev.weft.gpu.OpenClUnavailableException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this host has OpenCL, for the tests of the GPU runner and of its examples. Outside CI, they skip
 * without it, saying what to install; in CI ({@code CI=true}), where {@code .ci/run} installs PoCL, they
 * fail instead.
 */
public final class OpenClHost {
    private OpenClHost() {}

    /**
     * Returns the host's OpenCL devices, or skips (fails in CI) the calling test if there is no OpenCL.
     *
     * @return the devices, GPUs first
     */
    public static List<Device> devices() {
        try {
            return GpuTaskRunner.hostDevices();
        } catch (OpenClUnavailableException e) {
            requireInCi(e);
            Assumptions.abort(e.getMessage());
            return List.of();
        }
    }

    /**
     * Returns whether this host has OpenCL; in CI, fails if it has none.
     *
     * @return whether the examples of the GPU runner can run here
     */
    public static boolean available() {
        try {
            GpuTaskRunner.hostDevices();
            return true;
        } catch (OpenClUnavailableException e) {
            requireInCi(e);
            return false;
        }
    }

    private static void requireInCi(OpenClUnavailableException e) {
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI runs the GPU tests on PoCL, and " + e.getMessage(), e);
        }
    }
}
