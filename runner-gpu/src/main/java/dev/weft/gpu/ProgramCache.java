package dev.weft.gpu;

import static org.jocl.CL.CL_PROGRAM_BINARIES;
import static org.jocl.CL.CL_PROGRAM_BINARY_SIZES;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateProgramWithBinary;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clGetProgramBuildInfo;
import static org.jocl.CL.clGetProgramInfo;
import static org.jocl.CL.clReleaseProgram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device's built programs: each OpenCL C source (with its build options) is built once per device and
 * kept, and its binary is kept on disk, so that the next start of a runner on the same device and driver
 * loads it instead of compiling it again. A binary the driver no longer takes is dropped and built anew.
 */
final class ProgramCache {
    private static final Logger LOG = LoggerFactory.getLogger("dev.weft.gpu");

    /** Programs compiled from source, and loaded from a binary on disk, in this JVM: for tests and logs. */
    static final AtomicInteger COMPILED = new AtomicInteger();

    static final AtomicInteger LOADED = new AtomicInteger();

    private final Device device;
    private final cl_context context;
    private final Path directory;
    private final Map<Source, cl_program> programs = new ConcurrentHashMap<>();

    /** What a program is built from: a key made without copying the source (a string caches its hash). */
    private record Source(String text, String options) {}

    ProgramCache(Device device, cl_context context, Path directory) {
        this.device = device;
        this.context = context;
        this.directory = directory;
    }

    /**
     * Returns the program of a source, built for this device.
     *
     * @throws KernelBuildException if it does not build, with the compiler's log
     */
    cl_program program(String source, String options) {
        return programs.computeIfAbsent(new Source(source, options), key -> build(source, options));
    }

    private cl_program build(String source, String options) {
        synchronized (BUILDS) {
            return buildAlone(source, options);
        }
    }

    /**
     * Held while a program builds: one build at a time in this JVM. Drivers are not all safe with builds at
     * once (PoCL's own cache of compiled kernels can lose a file to two builds of the same source), and a
     * build happens once per device and source, so nothing waits long for it.
     */
    private static final Object BUILDS = new Object();

    private cl_program buildAlone(String source, String options) {
        Path file = directory.resolve(key(source, options) + ".bin");
        cl_program loaded = load(file, options);
        if (loaded != null) {
            return loaded;
        }
        cl_program program = null;
        for (int attempt = 1; program == null; attempt++) {
            program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
            try {
                clBuildProgram(program, 1, new cl_device_id[] {device.id()}, options, null, null);
            } catch (CLException e) {
                String log = buildLog(program);
                clReleaseProgram(program);
                program = null;
                if (attempt == 2) { // the second time, the source is at fault, not a driver's passing trouble
                    throw new KernelBuildException(device, log.isBlank() ? e.getMessage() : log);
                }
                LOG.debug("Building an OpenCL program failed once; building it again: {}", log);
            }
        }
        COMPILED.incrementAndGet();
        save(program, file);
        return program;
    }

    /** Returns the program built from its binary on disk, or null if there is none that this driver takes. */
    private cl_program load(Path file, String options) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        cl_program program = null;
        try {
            byte[] binary = Files.readAllBytes(file);
            program = clCreateProgramWithBinary(
                    context,
                    1,
                    new cl_device_id[] {device.id()},
                    new long[] {binary.length},
                    new byte[][] {binary},
                    null,
                    null);
            clBuildProgram(program, 1, new cl_device_id[] {device.id()}, options, null, null);
            LOADED.incrementAndGet();
            return program;
        } catch (IOException | CLException e) {
            if (program != null) {
                clReleaseProgram(program);
            }
            LOG.warn("The cached OpenCL program {} was not taken ({}); building it from source", file, e.toString());
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // it is built from source either way
            }
            return null;
        }
    }

    private void save(cl_program program, Path file) {
        try {
            long[] size = new long[1];
            clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(size), null);
            if (size[0] == 0) {
                return; // the driver gives no binary: the program is built again on the next start
            }
            byte[] binary = new byte[(int) size[0]];
            Pointer binaries = Pointer.to(new Pointer[] {Pointer.to(binary)});
            clGetProgramInfo(program, CL_PROGRAM_BINARIES, Sizeof.POINTER, binaries, null);
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, file.getFileName().toString(), ".part");
            Files.write(partial, binary);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | CLException e) {
            LOG.warn("Could not keep the OpenCL program's binary in {}: {}", directory, e.toString());
        }
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(program, device.id(), CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            return OpenCl.text(log);
        } catch (CLException e) {
            return "";
        }
    }

    /** The name of a program's binary: what it was built from, and for which device and driver. */
    private String key(String source, String options) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part :
                    new String[] {device.platform(), device.name(), device.version(), device.driver(), options, source
                    }) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }

    /** Releases every program built here. */
    void close() {
        programs.values().forEach(p -> {
            try {
                clReleaseProgram(p);
            } catch (CLException ignored) {
                // the context goes next
            }
        });
        programs.clear();
    }
}
