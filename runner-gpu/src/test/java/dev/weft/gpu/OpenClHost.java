package dev.weft.gpu;

import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this host has OpenCL. Outside CI, GPU tests skip without it, saying what to install; in CI
 * ({@code CI=true}), where {@code .ci/run} installs PoCL, they fail instead.
 */
final class OpenClHost {
    private OpenClHost() {}

    /** Returns the host's devices, or skips (fails in CI) the calling test if there is no OpenCL. */
    static List<Device> devices() {
        try {
            return GpuTaskRunner.hostDevices();
        } catch (OpenClUnavailableException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("CI runs the GPU tests on PoCL, and " + e.getMessage(), e);
            }
            Assumptions.abort(e.getMessage());
            return List.of();
        }
    }
}
