package dev.weft.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenCL C sources of Weft's kernels, by name. Each source holds one kernel function of the same name,
 * ready for {@code clCreateProgramWithSource}.
 *
 * <p>Safe to use from any thread. A source is read from this module's resources the first time it is asked
 * for and kept after that.
 */
public final class Kernels {
    /** {@code y = a * x + y} over {@code n} floats. */
    public static final String SAXPY = "saxpy";

    /** The sum of {@code n} floats, as one partial sum per work-group for the host to add. */
    public static final String SUM = "sum";

    /** {@code C = A * B} for row-major float matrices, tiled in local memory. */
    public static final String MATMUL = "matmul";

    /** Monte Carlo pi with Philox4x32-10; {@link Philox#piHits} computes the same count in Java. */
    public static final String PI = "pi";

    private static final List<String> NAMES = List.of(SAXPY, SUM, MATMUL, PI);

    private static final Map<String, String> SOURCES = new ConcurrentHashMap<>();

    private Kernels() {}

    /**
     * Returns the names of the kernels this module ships.
     *
     * @return the names, in a fixed order, as an unmodifiable list
     */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * Returns the OpenCL C source of a kernel.
     *
     * @param name the kernel's name, one of {@link #names()}
     * @return the source, holding a kernel function named {@code name}
     * @throws IllegalArgumentException if no kernel has that name
     * @throws UncheckedIOException if the source cannot be read from this module's resources
     */
    public static String source(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("no kernel named '" + name + "': the kernels are " + NAMES);
        }
        return SOURCES.computeIfAbsent(name, Kernels::read);
    }

    private static String read(String name) {
        String resource = name + ".cl";
        try (InputStream in = Kernels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("the kernel source " + resource + " is missing from "
                        + Kernels.class.getPackageName() + "; the jar is incomplete"));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel source " + resource, e);
        }
    }
}
