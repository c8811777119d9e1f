package dev.weft.gpu;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * An OpenCL device as a {@link GpuTaskRunner} found it: what a task may want to know about the device it
 * runs on, and where it stands among the devices of this host.
 *
 * @param index its place in the host's list of devices, GPUs first (what {@code WEFT_GPU_DEVICES} names)
 * @param name the device's name, such as {@code NVIDIA H100 80GB HBM3}
 * @param vendor the device's vendor
 * @param platform the name of its OpenCL platform, such as {@code Portable Computing Language}
 * @param type what kind of device it is
 * @param version the OpenCL version it supports, such as {@code OpenCL 3.0 CUDA}
 * @param driver the version of its driver
 * @param computeUnits how many compute units it has
 * @param globalMemory its global memory, in bytes
 * @param maxWorkGroupSize the largest work-group it runs
 * @param id the OpenCL handle of the device
 * @param platformId the OpenCL handle of its platform
 */
public record Device(
        int index,
        String name,
        String vendor,
        String platform,
        Type type,
        String version,
        String driver,
        int computeUnits,
        long globalMemory,
        long maxWorkGroupSize,
        cl_device_id id,
        cl_platform_id platformId) {

    /** What kind of device: OpenCL's device types, as Weft orders them (GPUs first). */
    public enum Type {
        /** A graphics processor. */
        GPU,
        /** An accelerator that is neither a GPU nor a CPU. */
        ACCELERATOR,
        /** A CPU, such as PoCL's device. */
        CPU,
        /** Any other device. */
        OTHER
    }

    /**
     * Returns whether this is PoCL's device on the host's CPU: what Weft runs on where there is no GPU.
     *
     * @return whether it is
     */
    public boolean isPoclCpu() {
        return type == Type.CPU && platform.contains("Portable Computing Language");
    }

    /**
     * Describes the device in a few words, for log lines: {@code #0 NVIDIA H100 80GB HBM3 (GPU, 80 GiB)}.
     *
     * @return the description
     */
    public String describe() {
        return "#" + index + " " + name + " (" + type + ", " + (globalMemory >> 30) + " GiB"
                + (isPoclCpu() ? ", PoCL" : "") + ")";
    }
}
