package dev.weft.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which devices a runner takes from the host's list: by the environment, by type, platform and name. */
final class DeviceChoiceTest {
    private static Device device(int index, String name, String platform, Device.Type type) {
        return new Device(index, name, "vendor", platform, type, "OpenCL 3.0", "1", 8, 8L << 30, 1024, null, null);
    }

    private static final List<Device> HOST = List.of(
            device(0, "NVIDIA H100", "NVIDIA CUDA", Device.Type.GPU),
            device(1, "NVIDIA A100", "NVIDIA CUDA", Device.Type.GPU),
            device(2, "pthread-skylake", "Portable Computing Language", Device.Type.CPU));

    @Test
    void shouldTakeTheGpusByDefaultAndTheOtherDevicesOnlyWhereThereIsNone() {
        assertThat(GpuTaskRunner.builder().choose(HOST, null))
                .extracting(Device::index)
                .containsExactly(0, 1);
        assertThat(GpuTaskRunner.builder().choose(List.of(HOST.get(2)), null))
                .extracting(Device::index)
                .containsExactly(2);
    }

    @Test
    void shouldTakeTheDevicesTheEnvironmentNamesByIndexWhateverTheBuilderSays() {
        assertThat(GpuTaskRunner.builder().name("H100").choose(HOST, " 2, 1"))
                .extracting(Device::index)
                .containsExactly(2, 1);
    }

    @Test
    void shouldFilterByTypePlatformAndNameIgnoringCase() {
        assertThat(GpuTaskRunner.builder().types(Device.Type.CPU).choose(HOST, null))
                .extracting(Device::index)
                .containsExactly(2);
        assertThat(GpuTaskRunner.builder().platform("nvidia").name("a100").choose(HOST, ""))
                .extracting(Device::index)
                .containsExactly(1);
    }

    @Test
    void shouldSayWhatIsWrongWithTheEnvironmentsDevicesNamingTheHostsDevices() {
        assertThatThrownBy(() -> GpuTaskRunner.builder().choose(HOST, "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WEFT_GPU_DEVICES='3' names device 3, and this host has 3: #0 NVIDIA H100");
        assertThatThrownBy(() -> GpuTaskRunner.builder().choose(HOST, "gpu0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("WEFT_GPU_DEVICES='gpu0' is not a list of device indexes such as 0,2");
    }

    @Test
    void shouldGiveEachDeviceOneGpuAndTheOtherResourcesItIsGiven() {
        assertThat(GpuTaskRunner.builder().callsPerDevice(2).workerResources().asMap())
                .isEqualTo(Map.of("GPU", 1.0));
        assertThat(GpuTaskRunner.builder()
                        .resources(Map.of("process", 1))
                        .workerResources()
                        .asMap())
                .isEqualTo(Map.of("GPU", 1.0, "process", 1.0));
        assertThat(GpuTaskRunner.builder()
                        .resources(Map.of("GPU", 2))
                        .workerResources()
                        .asMap())
                .isEqualTo(Map.of("GPU", 2.0));
    }
}
