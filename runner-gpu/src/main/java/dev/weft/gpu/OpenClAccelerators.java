package dev.weft.gpu;

import dev.weft.Settings;
import dev.weft.runner.Accelerator;
import dev.weft.runner.AcceleratorProvider;
import dev.weft.runner.Accelerators;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenCL devices of {@code GPU=auto}, for the fork-join and cluster runners: the devices a default
 * {@link GpuTaskRunner} would take (the host's GPUs, or with none its CPU devices, or those {@code
 * WEFT_GPU_DEVICES} names), each opened as a device of its own. Registered for {@link
 * java.util.ServiceLoader}.
 */
public final class OpenClAccelerators implements AcceleratorProvider {
    /** Makes the provider; {@link java.util.ServiceLoader} calls this. */
    public OpenClAccelerators() {}

    @Override
    public String resource() {
        return "GPU";
    }

    @Override
    public List<Accelerator> open() {
        return open(chosen());
    }

    @Override
    public List<Accelerator> open(int position) {
        List<Device> chosen = chosen();
        return position >= 0 && position < chosen.size() ? open(List.of(chosen.get(position))) : List.of();
    }

    private static List<Device> chosen() {
        return GpuTaskRunner.builder().choose(OpenCl.devices(), System.getenv(GpuTaskRunner.DEVICES_VARIABLE));
    }

    private static List<Accelerator> open(List<Device> chosen) {
        Path programs = Settings.load().home().resolve("opencl-cache");
        List<Accelerator> opened = new ArrayList<>();
        try {
            for (Device device : chosen) {
                opened.add(new DeviceWorker(device, programs, 1)); // runs no calls itself: its runner does
            }
        } catch (RuntimeException e) {
            Accelerators.closeAll(opened);
            throw e;
        }
        return opened;
    }
}
