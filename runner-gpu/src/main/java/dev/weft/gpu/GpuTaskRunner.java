package dev.weft.gpu;

import dev.weft.Resources;
import dev.weft.Settings;
import dev.weft.TaskRunner;
import dev.weft.runner.Lifecycle;
import dev.weft.runner.Placement;
import dev.weft.runner.RunnerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task runs on the host's OpenCL devices: one worker per device, GPUs first, each with {@code GPU=1},
 * so that the seed's {@code resources={'GPU': 1}} means a device of the call's own. Inside a call, {@link Gpu#current()} is that device. With no GPU on the host it uses
 * the CPU devices (PoCL's, where it is installed), and says so in its start line; with no OpenCL at all it
 * fails to start in one line that says what to install.
 *
 * {@snippet :
 * // every GPU of the host, one call at a time on each
 * GpuTaskRunner gpus = new GpuTaskRunner();
 *
 * // two calls in flight on each NVIDIA device, each with its own command queue
 * GpuTaskRunner nvidia = GpuTaskRunner.builder().platform("NVIDIA").callsPerDevice(2).build();
 * }
 *
 * <p>The devices can also be chosen by the environment: {@code WEFT_GPU_DEVICES=0,2} (as {@code
 * CUDA_VISIBLE_DEVICES}) takes the devices of those indexes in the host's list, GPUs first ({@link
 * Device#index()}), whatever else the builder says.
 *
 * <p>Thread-safe. Each flow run starts its own {@link #duplicate() copy}.
 */
public final class GpuTaskRunner implements TaskRunner {
    /** The environment variable that names the devices to use, by index. */
    public static final String DEVICES_VARIABLE = "WEFT_GPU_DEVICES";

    private static final Logger LOG = LoggerFactory.getLogger(GpuTaskRunner.class);

    private final Builder settings;
    private final Lifecycle lifecycle = new Lifecycle("GpuTaskRunner");
    private final Map<String, DeviceWorker> workers = new LinkedHashMap<>();
    private volatile Placement placement;
    private volatile String noGpu;

    private GpuTaskRunner(Builder settings) {
        this.settings = settings.copy();
    }

    /** Creates a runner on every GPU of the host (or, with none, its CPU devices), one call at a time on each. */
    public GpuTaskRunner() {
        this(new Builder());
    }

    /**
     * Returns a builder of a runner.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the host's OpenCL devices, GPUs first, in the order {@code WEFT_GPU_DEVICES} counts them.
     *
     * @return the devices
     * @throws OpenClUnavailableException if OpenCL cannot be had on this host, saying what to install
     */
    public static List<Device> hostDevices() {
        return OpenCl.devices();
    }

    @Override
    public RunnerSpec spec() {
        return RunnerSpec.IN_PROCESS_PARALLEL;
    }

    @Override
    public String describe() {
        String devices = workers.values().stream()
                .map(w -> w.name() + " = " + w.device().describe())
                .collect(Collectors.joining(", "));
        return "Using " + count(workers.size(), "OpenCL device") + ", " + count(settings.callsPerDevice, "call")
                + " at a time on each: " + devices + (noGpu == null ? "" : "; " + noGpu);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public void start() {
        lifecycle.start();
        List<Device> chosen = settings.choose(OpenCl.devices(), System.getenv(DEVICES_VARIABLE));
        if (chosen.stream().noneMatch(d -> d.type() == Device.Type.GPU)) {
            noGpu = chosen.stream().allMatch(Device::isPoclCpu)
                    ? "no GPU: the calls run on PoCL's CPU device"
                    : "no GPU: the calls run on " + chosen.getFirst().type() + " devices";
        }
        Path programs = Settings.load().home().resolve("opencl-cache");
        // A caller that waits for its call at once runs it on its own thread, with the device as its own: a
        // short kernel then costs no hand-off to a device thread and back.
        Placement.Builder placing = Placement.builder("GpuTaskRunner")
                .continueInline(false)
                .callerRuns()
                .launcher(this::launch);
        for (Device device : chosen) {
            DeviceWorker worker = new DeviceWorker(device, programs, settings.callsPerDevice);
            workers.put(worker.name(), worker);
            placing.worker(worker, settings.workerResources(), settings.callsPerDevice);
            worker.whenLost(why -> retire(worker.name(), why));
        }
        placement = placing.build();
    }

    /** Places nothing more on a device that is gone; calls that only it could run crash, saying why. */
    private void retire(String worker, String why) {
        LOG.warn("GpuTaskRunner takes {} out of placement: {}", worker, why);
        placement.retireWorker(worker, why);
    }

    private void launch(Placement.Placed placed) {
        workers.get(placed.worker()).execute(placed);
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        placement.submit(call);
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            Placement p = placement;
            if (p != null) {
                p.crashWaiting("GpuTaskRunner was shut down before the call could start");
            }
            workers.values().forEach(DeviceWorker::close);
        }
    }

    /**
     * Returns the devices this runner runs calls on, once started.
     *
     * @return the devices, in the order of their workers {@code gpu-N}
     */
    public List<Device> devices() {
        return workers.values().stream().map(DeviceWorker::device).toList();
    }

    @Override
    public TaskRunner duplicate() {
        return new GpuTaskRunner(settings);
    }

    @Override
    public String toString() {
        return "GpuTaskRunner(devices " + settings + ", " + count(settings.callsPerDevice, "call") + " per device)";
    }

    /** Which devices a {@link GpuTaskRunner} takes, and how many calls run at once on each. */
    public static final class Builder {
        private int callsPerDevice = 1;
        private Map<String, Number> resources = Map.of();
        private Set<Device.Type> types = EnumSet.noneOf(Device.Type.class);
        private String platform;
        private String name;

        private Builder() {}

        private Builder copy() {
            Builder b = new Builder();
            b.callsPerDevice = callsPerDevice;
            b.resources = resources;
            b.types = types.isEmpty() ? EnumSet.noneOf(Device.Type.class) : EnumSet.copyOf(types);
            b.platform = platform;
            b.name = name;
            return b;
        }

        /**
         * How many calls run at once on each device, each with a command queue of its own; 1 by
         * default. A device's worker still has {@code GPU=1}: a call that needs {@code GPU=1} has the device
         * to itself, and calls share one only where they ask for less ({@code GPU=0.5}, as in Ray) or for
         * none.
         *
         * @param calls at least 1
         * @return this builder
         */
        public Builder callsPerDevice(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("GpuTaskRunner runs at least 1 call per device, not " + calls);
            }
            this.callsPerDevice = calls;
            return this;
        }

        /**
         * Gives each device's worker these resources besides its {@code GPU=1}, such as {@code
         * Map.of("process", 1)}: a call that needs them starts where they are free, as on every runner. A
         * {@code GPU} amount here replaces the 1.
         *
         * @param perDevice each worker's resources
         * @return this builder
         */
        public Builder resources(Map<String, ? extends Number> perDevice) {
            this.resources = Map.copyOf(perDevice);
            return this;
        }

        /** Returns a device worker's resources: {@code GPU=1}, unless told otherwise, and the rest. */
        Resources workerResources() {
            Map<String, Number> all = new LinkedHashMap<>();
            all.put("GPU", 1);
            all.putAll(resources);
            return Resources.of(all);
        }

        /**
         * Takes only devices of these types. By default, the host's GPUs, or where it has none, its other
         * devices.
         *
         * @param wanted the types
         * @return this builder
         */
        public Builder types(Device.Type... wanted) {
            this.types = wanted.length == 0 ? EnumSet.noneOf(Device.Type.class) : EnumSet.copyOf(List.of(wanted));
            return this;
        }

        /**
         * Takes only devices whose platform's name contains this, ignoring case, such as {@code NVIDIA} or
         * {@code Portable Computing Language}.
         *
         * @param part a part of the platform's name
         * @return this builder
         */
        public Builder platform(String part) {
            this.platform = part;
            return this;
        }

        /**
         * Takes only devices whose name contains this, ignoring case, such as {@code H100}.
         *
         * @param part a part of the device's name
         * @return this builder
         */
        public Builder name(String part) {
            this.name = part;
            return this;
        }

        /**
         * Builds the runner; it finds its devices when a flow run starts it.
         *
         * @return the runner
         */
        public GpuTaskRunner build() {
            return new GpuTaskRunner(this);
        }

        /** Picks the devices from the host's list, by the environment's indexes or else by this builder. */
        List<Device> choose(List<Device> all, String fromEnvironment) {
            String listing = all.stream().map(Device::describe).collect(Collectors.joining(", "));
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                List<Device> picked = new ArrayList<>();
                for (String part : fromEnvironment.split(",")) {
                    int index;
                    try {
                        index = Integer.parseInt(part.strip());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(DEVICES_VARIABLE + "='" + fromEnvironment
                                + "' is not a list of device indexes such as 0,2; the devices: " + listing);
                    }
                    if (index < 0 || index >= all.size()) {
                        throw new IllegalArgumentException(DEVICES_VARIABLE + "='" + fromEnvironment + "' names device "
                                + index + ", and this host has " + all.size() + ": " + listing);
                    }
                    picked.add(all.get(index));
                }
                return picked;
            }
            List<Device> matching = all.stream()
                    .filter(d -> platform == null || contains(d.platform(), platform))
                    .filter(d -> name == null || contains(d.name(), name))
                    .filter(d -> types.isEmpty() || types.contains(d.type()))
                    .toList();
            if (types.isEmpty() && matching.stream().anyMatch(d -> d.type() == Device.Type.GPU)) {
                matching = matching.stream()
                        .filter(d -> d.type() == Device.Type.GPU)
                        .toList();
            }
            if (matching.isEmpty()) {
                throw new IllegalStateException("GpuTaskRunner found no OpenCL device " + this + " on this host; its"
                        + " devices: " + (listing.isEmpty() ? "none" : listing));
            }
            return matching;
        }

        private static boolean contains(String text, String part) {
            return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!types.isEmpty()) {
                parts.add("of type " + types.stream().map(Enum::name).collect(Collectors.joining(" or ")));
            }
            if (platform != null) {
                parts.add("on a platform named like '" + platform + "'");
            }
            if (name != null) {
                parts.add("named like '" + name + "'");
            }
            return parts.isEmpty() ? "of any type" : String.join(", ", parts);
        }
    }
}
