package dev.weft.gpu;

import dev.weft.TaskRunner;
import dev.weft.contract.TaskRunnerContract;
import dev.weft.gpu.testing.OpenClHost;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The contract every runner keeps, on the host's OpenCL devices (PoCL's CPU device where there is no GPU). */
final class GpuRunnerContractTest extends TaskRunnerContract {
    @BeforeEach
    void needsOpenCl() {
        OpenClHost.devices();
    }

    @Override
    protected TaskRunner runner() {
        return GpuTaskRunner.builder().callsPerDevice(4).build();
    }

    @Override
    protected TaskRunner runner(Map<String, ? extends Number> workerResources) {
        return GpuTaskRunner.builder()
                .callsPerDevice(4)
                .resources(workerResources)
                .build();
    }
}
