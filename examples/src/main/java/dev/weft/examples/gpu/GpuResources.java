package dev.weft.examples.gpu;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.gpu.Gpu;
import dev.weft.gpu.GpuTaskRunner;
import java.util.Map;

/**
 * Twin of "Dask annotations", resources, on the host's OpenCL devices. In Dask the resources are abstract:
 * the seed claims {@code "resources": {"GPU": 1, "process": 1}} for its one worker. Here the worker is a
 * device that the {@link GpuTaskRunner} found, with {@code GPU=1} because it is one, and the {@code
 * process=1} the example gives it. {@code show(0)} needs the GPU, and {@code show(1)} to {@code show(3)}
 * each need the process, so they run one after the other, in submission order, while {@code show(0)} may
 * run beside them. Each call prints its number and the device it runs on.
 *
 * <p>As in the other twins, the calls are submitted (a direct call runs in place, where resources mean
 * nothing), and the device's worker runs two calls at once, enough for the GPU call to run beside a process
 * call. The runner has a worker per device: on a host of one device, as the seed's cluster of one worker,
 * the process calls take turns; on a host of several, each device has a process of its own.
 */
public final class GpuResources {
    private GpuResources() {}

    // snippet:gpu-resources
    static final Task1<Integer, Void> show = Task.of("show", (Integer x) -> {
        // every call of a GpuTaskRunner runs on a device's worker, and Gpu.current() is that device
        System.out.println(x + " on " + Gpu.current().device().describe());
    });

    // A worker per OpenCL device, GPUs first: each has GPU=1 because it is one.
    // Here, we claim that each also has 1 process, and runs two calls at once
    static final GpuTaskRunner devices = GpuTaskRunner.builder()
            .callsPerDevice(2)
            .resources(Map.of("process", 1))
            .build();

    static final Flow<Void> myFlow = Flow.of("my-flow", devices, GpuResources::submitShows);

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static void submitShows() {
        try (Annotate gpu = Annotate.resources(Map.of("GPU", 1))) {
            TaskFuture<Void> future = show.submit(0); // this task requires a device of its own
        }
        try (Annotate process = Annotate.resources(Map.of("process", 1))) {
            // These tasks each require 1 process on a worker; because we've
            // specified that each device has 1 process, on a host of one device
            // these tasks will run sequentially
            TaskFuture<Void> future = show.submit(1);
            future = show.submit(2);
            future = show.submit(3);
        }
    }
    // end-snippet:gpu-resources

    /**
     * Runs the flow.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        myFlow.call();
    }
}
