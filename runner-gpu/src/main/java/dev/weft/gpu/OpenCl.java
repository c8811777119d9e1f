package dev.weft.gpu;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** The host's OpenCL devices, found through JOCL; where OpenCL cannot be had, one clear error. */
final class OpenCl {
    /** What to install where there is no OpenCL, said in every error about it. */
    static final String INSTALL =
            "install an OpenCL driver and its loader: on Debian and Ubuntu pocl-opencl-icd (OpenCL on the CPU),"
                    + " ocl-icd-libopencl1 and ocl-icd-opencl-dev (JOCL opens libOpenCL.so), or your GPU vendor's"
                    + " driver";

    /** Why JOCL could not load OpenCL the first time, in this JVM; null until it fails. */
    private static final AtomicReference<String> notLoaded = new AtomicReference<>();

    private OpenCl() {}

    /**
     * Returns every OpenCL device of this host, GPUs first, then accelerators, then CPUs, each in the order
     * its platform lists it; their indexes are their places in this list.
     *
     * @throws OpenClUnavailableException if OpenCL cannot be loaded or has no platform
     */
    static List<Device> devices() {
        List<Found> found = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            clGetPlatformIDs(0, null, count);
            if (count[0] == 0) {
                throw new OpenClUnavailableException("OpenCL has no platform on this host: " + INSTALL);
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            clGetPlatformIDs(platforms.length, platforms, null);
            for (cl_platform_id platform : platforms) {
                String platformName = platformInfo(platform, CL_PLATFORM_NAME);
                int[] n = new int[1];
                try {
                    clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (CLException e) {
                    continue; // a platform without devices
                }
                cl_device_id[] ids = new cl_device_id[n[0]];
                clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                for (cl_device_id id : ids) {
                    found.add(new Found(typeOf(id), platform, platformName, id));
                }
            }
        } catch (LinkageError e) {
            // JOCL loads OpenCL once per JVM: its first failure says why; every later use fails to link
            String why = notLoaded.updateAndGet(first -> first != null ? first : e.getMessage());
            throw new OpenClUnavailableException("OpenCL cannot be loaded on this host (" + why + "): " + INSTALL);
        } catch (CLException e) {
            throw new OpenClUnavailableException(
                    "OpenCL has no platform on this host (" + e.getMessage() + "): " + INSTALL);
        }
        found.sort(Comparator.comparing(Found::type)); // stable: each platform's own order within a type
        List<Device> devices = new ArrayList<>(found.size());
        for (int i = 0; i < found.size(); i++) {
            devices.add(describe(i, found.get(i)));
        }
        return devices;
    }

    /** A device as found on its platform, before it has its place in the host's list. */
    private record Found(Device.Type type, cl_platform_id platform, String platformName, cl_device_id id) {}

    private static Device.Type typeOf(cl_device_id id) {
        long type = deviceLong(id, CL_DEVICE_TYPE);
        return (type & CL_DEVICE_TYPE_GPU) != 0
                ? Device.Type.GPU
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0
                        ? Device.Type.ACCELERATOR
                        : (type & CL_DEVICE_TYPE_CPU) != 0 ? Device.Type.CPU : Device.Type.OTHER;
    }

    private static Device describe(int index, Found found) {
        cl_device_id id = found.id();
        int[] units = new int[1];
        clGetDeviceInfo(id, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint, Pointer.to(units), null);
        long[] workGroup = new long[1];
        clGetDeviceInfo(id, CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(workGroup), null);
        return new Device(
                index,
                deviceInfo(id, CL_DEVICE_NAME).strip(),
                deviceInfo(id, CL_DEVICE_VENDOR).strip(),
                found.platformName(),
                found.type(),
                deviceInfo(id, CL_DEVICE_VERSION).strip(),
                deviceInfo(id, CL_DRIVER_VERSION).strip(),
                units[0],
                deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE),
                workGroup[0],
                id,
                found.platform());
    }

    static String deviceInfo(cl_device_id device, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(device, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null);
        return text(bytes);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    private static String platformInfo(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null);
        return text(bytes).strip();
    }

    /** A C string from OpenCL: its bytes up to the first zero. */
    static String text(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }
}
