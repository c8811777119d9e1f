/**
 * The OpenCL C kernels Weft ships, as source text to build on any OpenCL device.
 *
 * <p>{@link dev.weft.kernels.Kernels#source(String)} returns a kernel's source by name; the kernel function in
 * it has the same name. There are four: {@code saxpy} ({@code y = a * x + y}), {@code sum} (a reduction to one
 * partial sum per work-group), {@code matmul} (a tiled matrix product) and {@code pi} (Monte Carlo pi with
 * the counter-based generator Philox4x32-10). Each file's opening comment gives its arguments and the global
 * and local sizes it expects.
 *
 * <p>Each kernel is checked against a plain-Java reference on PoCL's CPU device. For {@code pi} that
 * reference ships here as {@link dev.weft.kernels.Philox}, so a result from any device can be checked
 * exactly.
 */
package dev.weft.kernels;
