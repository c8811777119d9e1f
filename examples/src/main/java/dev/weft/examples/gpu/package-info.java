/**
 * Examples of Weft's GPU runner, the {@link dev.weft.gpu.GpuTaskRunner}, whose workers are the host's
 * OpenCL devices, one worker per device with {@code GPU=1}: the seed's resources example on real devices,
 * and a pipeline that prepares its data on the CPU and computes on the device with Weft's own kernels,
 * checked against Java. Without a GPU they run on PoCL's CPU device. {@code docs/gpu.md} shows their code.
 */
package dev.weft.examples.gpu;
