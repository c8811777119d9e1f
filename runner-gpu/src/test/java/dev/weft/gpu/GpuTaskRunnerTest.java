package dev.weft.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.Flow;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.gpu.testing.OpenClHost;
import dev.weft.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a task placed on an OpenCL device gets: the device, its programs, buffers released after it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class GpuTaskRunnerTest {
    private List<Device> host;

    @BeforeEach
    void needsOpenCl() {
        host = OpenClHost.devices();
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.5f;
        }
        return x;
    }

    /** y = 2 * x + y on the call's device, with Weft's saxpy kernel. */
    private static final Task1<float[], float[]> SAXPY = Task.of("saxpy", (float[] x) -> {
                Gpu gpu = Gpu.current();
                cl_kernel saxpy = gpu.kernel(Kernels.SAXPY);
                cl_mem xs = gpu.buffer(x);
                cl_mem ys = gpu.buffer(x);
                gpu.run(saxpy, x.length, 64, 2.0f, xs, ys, x.length);
                float[] y = new float[x.length];
                gpu.read(ys, y);
                return y;
            })
            .withResources(Map.of("GPU", 1));

    @Test
    void shouldRunAKernelOnTheCallsDeviceAndReleaseWhatTheCallMadeOnIt() {
        float[] x = ramp(10_007);
        long releasedBefore = Gpu.RELEASED.get();
        float[] y = Flow.of("saxpy", new GpuTaskRunner(), () -> SAXPY.submit(x).result())
                .call();
        for (int i = 0; i < x.length; i++) {
            assertThat(y[i]).isEqualTo(3 * x[i]);
        }
        assertThat(Gpu.RELEASED.get() - releasedBefore)
                .as("the kernel and the two buffers, released as the call ended")
                .isEqualTo(3);
    }

    @Test
    void shouldSayInItsStartLineWhichDevicesItUsesAndWhenThereIsNoGpu() {
        GpuTaskRunner runner = new GpuTaskRunner();
        runner.start();
        try {
            String line = runner.describe();
            assertThat(line).startsWith("Using ").contains("gpu-0 = #");
            if (host.stream().noneMatch(d -> d.type() == Device.Type.GPU)
                    && host.stream().allMatch(Device::isPoclCpu)) {
                assertThat(line).endsWith("; no GPU: the calls run on PoCL's CPU device");
            } else if (host.stream().anyMatch(d -> d.type() == Device.Type.GPU)) {
                assertThat(line).doesNotContain("no GPU");
                assertThat(runner.devices()).allMatch(d -> d.type() == Device.Type.GPU);
            }
        } finally {
            runner.shutdown();
        }
    }

    @Test
    void shouldEndARunFailedWithTheBuildLogWhenItsKernelDoesNotCompile() {
        Task0<Integer> broken = Task.of("broken", () -> {
            Gpu.current().kernel("__kernel void broken(__global float* x) { x[0] = undeclared_thing; }", "broken");
            return 0;
        });
        java.util.concurrent.atomic.AtomicReference<State<Integer>> run =
                new java.util.concurrent.atomic.AtomicReference<>();
        State<Void> flow = Flow.of("broken-kernel", new GpuTaskRunner(), () -> {
                    run.set(broken.submit().await());
                })
                .callForState();
        assertThat(flow.type()).isEqualTo(StateType.FAILED);
        State<Integer> state = run.get();
        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.exception())
                .isInstanceOf(KernelBuildException.class)
                .hasMessageContaining("did not build for device #")
                .hasMessageContaining("undeclared_thing");
    }

    @Test
    void shouldBuildAProgramOncePerDeviceAndLoadItFromDiskOnTheNextStart() {
        String source = "// " + UUID.randomUUID() + "\n" + Kernels.source(Kernels.SAXPY); // new to the cache
        Task0<Integer> build = Task.of("build", () -> {
            Gpu.current().kernel(source, Kernels.SAXPY);
            return 1;
        });
        int compiled = ProgramCache.COMPILED.get();
        int loaded = ProgramCache.LOADED.get();
        Flow.of(
                        "first-start",
                        new GpuTaskRunner(),
                        () -> build.submit().result() + build.submit().result())
                .call();
        assertThat(ProgramCache.COMPILED.get() - compiled)
                .as("compiled once for two calls")
                .isEqualTo(1);
        Flow.of("second-start", new GpuTaskRunner(), () -> build.submit().result())
                .call();
        assertThat(ProgramCache.COMPILED.get() - compiled)
                .as("not compiled again")
                .isEqualTo(1);
        assertThat(ProgramCache.LOADED.get() - loaded)
                .as("loaded from its binary on disk")
                .isEqualTo(1);
    }

    @Test
    void shouldRunAsManyCallsAtOnceOnADeviceAsItIsGiven() {
        for (int callsPerDevice : new int[] {1, 2}) {
            AtomicInteger now = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            Set<Object> queues = ConcurrentHashMap.newKeySet();
            Task0<Integer> hold = Task.of("hold", () -> {
                        int running = now.incrementAndGet();
                        most.accumulateAndGet(running, Math::max);
                        queues.add(Gpu.current().queue());
                        Thread.sleep(150);
                        now.decrementAndGet();
                        return 1;
                    })
                    .withResources(Map.of("GPU", 1.0 / callsPerDevice)); // a share of a device
            GpuTaskRunner runner = GpuTaskRunner.builder()
                    .callsPerDevice(callsPerDevice)
                    .name(host.getFirst().name())
                    .types(host.getFirst().type())
                    .build();
            int sum = Flow.of("hold", runner, () -> {
                        List<TaskFuture<Integer>> runs = new ArrayList<>();
                        for (int i = 0; i < 6; i++) {
                            runs.add(hold.submit());
                        }
                        return TaskFuture.gather(runs).result().size();
                    })
                    .call();
            assertThat(sum).isEqualTo(6);
            int devices = (int) host.stream()
                    .filter(d -> d.name().equals(host.getFirst().name())
                            && d.type() == host.getFirst().type())
                    .count();
            assertThat(most.get()).as("calls at once").isLessThanOrEqualTo(callsPerDevice * devices);
            assertThat(queues.size())
                    .as("a command queue for each call in flight, and no more")
                    .isGreaterThanOrEqualTo(most.get())
                    .isLessThanOrEqualTo(callsPerDevice * devices);
        }
    }

    @Test
    void shouldRunACallThatItsCallerAwaitsAtOnceOnTheCallersThreadWithItsDevice() {
        Set<Object> queues = ConcurrentHashMap.newKeySet();
        Task1<Integer, String> where = Task.of("where", (Integer i) -> {
            Gpu gpu = Gpu.current();
            queues.add(gpu.queue());
            return Thread.currentThread().getName() + " on " + gpu.device().name();
        });
        String caller = Thread.currentThread().getName();
        List<String> seen = Flow.of("caller-runs", new GpuTaskRunner(), () -> {
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        out.add(where.submit(i).result()); // awaited at once, without a time limit
                    }
                    return out;
                })
                .call();
        assertThat(seen).hasSize(200).allSatisfy(s -> assertThat(s)
                .endsWith(" on " + host.getFirst().name()));
        assertThat(seen)
                .as("calls the flow's body waited for at once ran on the body's thread")
                .anySatisfy(s -> assertThat(s).startsWith(caller + " on "));
        assertThat(queues)
                .as("one call at a time: one command queue, whichever thread ran it")
                .hasSize(1);
    }

    @Test
    void shouldRefuseToStartWithNoDeviceThatMatchesSayingWhichThereAre() {
        GpuTaskRunner runner = GpuTaskRunner.builder().name("no-such-device").build();
        assertThatThrownBy(runner::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("GpuTaskRunner found no OpenCL device named like 'no-such-device' on this host;"
                        + " its devices: #0 ");
    }

    @Test
    void shouldTellATaskOffTheGpuRunnerThatItHasNoDevice() {
        assertThatThrownBy(Gpu::current)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runs none: give the flow a GpuTaskRunner");
    }

    @Test
    void shouldRunAnAparapiKernelOnTheCallsDevice() {
        Task1<Integer, float[]> squares = Task.of("squares", (Integer n) -> {
                    float[] out = new float[n];
                    Gpu.current()
                            .execute(
                                    new com.aparapi.Kernel() {
                                        @Override
                                        public void run() {
                                            int i = getGlobalId();
                                            out[i] = i * (float) i;
                                        }
                                    },
                                    n);
                    return out;
                })
                .withResources(Map.of("GPU", 1));
        float[] out = Flow.of("aparapi", new GpuTaskRunner(), () -> squares.submit(1000)
                        .result())
                .call();
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).isEqualTo(i * (float) i);
        }
    }

    /** One kernel object that every call runs, as Aparapi's users keep theirs. */
    private static final class Counting extends com.aparapi.Kernel {
        final int[] hits = new int[256];

        @Override
        public void run() {
            int i = getGlobalId();
            hits[i] = hits[i] + 1;
        }
    }

    @Test
    void shouldLetCallsShareOneAparapiKernelObjectOneAtATime() {
        Counting shared = new Counting();
        Task1<Integer, Integer> count = Task.of("count", (Integer i) -> {
                    Gpu.current().execute(shared, shared.hits.length);
                    return i;
                })
                .withResources(Map.of("GPU", 0.5));
        int calls = 24;
        List<Integer> done = Flow.of(
                        "shared-kernel",
                        GpuTaskRunner.builder().callsPerDevice(2).build(),
                        () -> {
                            List<TaskFuture<Integer>> futures = new ArrayList<>();
                            for (int i = 0; i < calls; i++) {
                                futures.add(count.submit(i));
                            }
                            return futures.stream().map(TaskFuture::result).toList();
                        })
                .call();

        assertThat(done).hasSize(calls);
        // each call ran it on the device in turn, and the end of one never disposed of it under another
        assertThat(shared.hits).containsOnly(calls);
    }

    @Test
    @SuppressWarnings("serial") // the kernel calls a method of an object: what Aparapi cannot translate
    void shouldFailAnAparapiKernelThatCannotRunOnOpenClRatherThanRunItOnJavaThreads() {
        Task1<Integer, float[]> objects = Task.of("objects", (Integer n) -> {
            float[] out = new float[n];
            StringBuilder text = new StringBuilder("abc");
            Gpu.current()
                    .execute(
                            new com.aparapi.Kernel() {
                                @Override
                                public void run() {
                                    out[getGlobalId()] = text.length();
                                }
                            },
                            n);
            return out;
        });
        java.util.concurrent.atomic.AtomicReference<State<float[]>> run =
                new java.util.concurrent.atomic.AtomicReference<>();
        Flow.of("aparapi-objects", new GpuTaskRunner(), () -> {
                    run.set(objects.submit(100).await());
                })
                .callForState();
        assertThat(run.get().type()).isEqualTo(StateType.FAILED);
        assertThat(run.get().exception())
                .isInstanceOf(AparapiException.class)
                .hasMessageContaining("Aparapi cannot run kernel ")
                .hasMessageContaining("Using java objects inside kernels is not supported")
                .hasMessageContaining("Weft does not let it fall back to Java threads");
    }

    @Test
    void shouldReleaseWhatACallMadeOnTheDeviceWhenItsTaskThrows() {
        Task0<Integer> throwing = Task.of("throwing", () -> {
            Gpu gpu = Gpu.current();
            gpu.kernel(Kernels.SAXPY);
            gpu.buffer(1024);
            throw new IllegalStateException("the task's own bug");
        });
        long releasedBefore = Gpu.RELEASED.get();
        java.util.concurrent.atomic.AtomicReference<State<Integer>> run =
                new java.util.concurrent.atomic.AtomicReference<>();
        Flow.of("throwing", new GpuTaskRunner(), () -> {
                    run.set(throwing.submit().await());
                })
                .callForState();
        assertThat(run.get().type()).isEqualTo(StateType.FAILED);
        assertThat(Gpu.RELEASED.get() - releasedBefore)
                .as("its kernel and its buffer")
                .isEqualTo(2);
    }

    @Test
    void shouldCrashARunWhoseDeviceFailsAndRunTheOthers() {
        Task0<Integer> faulty = Task.of("faulty", () -> {
            throw DeviceFaultException.of(
                    new org.jocl.CLException("out of resources", org.jocl.CL.CL_OUT_OF_RESOURCES),
                    Gpu.current().device(),
                    "running a kernel");
        });
        Task0<Integer> wrongArgument = Task.of("wrong_argument", () -> {
            throw DeviceFaultException.of(
                    new org.jocl.CLException("bad index", org.jocl.CL.CL_INVALID_ARG_INDEX),
                    Gpu.current().device(),
                    "running a kernel");
        });
        List<State<float[]>> saxpy = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<State<Integer>> crashed =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<State<Integer>> failed =
                new java.util.concurrent.atomic.AtomicReference<>();
        Flow.of("device-fault", GpuTaskRunner.builder().callsPerDevice(2).build(), () -> {
                    TaskFuture<Integer> a = faulty.submit();
                    TaskFuture<Integer> b = wrongArgument.submit();
                    saxpy.add(SAXPY.submit(ramp(100)).await());
                    crashed.set(a.await());
                    failed.set(b.await());
                })
                .callForState();
        assertThat(crashed.get().type()).isEqualTo(StateType.CRASHED);
        assertThat(crashed.get().message())
                .startsWith("Task run crashed: device #")
                .endsWith(" failed while running a kernel: CL_OUT_OF_RESOURCES");
        assertThat(failed.get().type()).as("an error of the task's own").isEqualTo(StateType.FAILED);
        assertThat(saxpy.getFirst().type()).as("the runner goes on").isEqualTo(StateType.COMPLETED);
    }

    /** A task that meets its device gone, as the driver reports it. */
    static final Task0<Integer> LOSES_ITS_DEVICE = Task.<Integer>of("loses_its_device", () -> {
                throw Gpu.current()
                        .fault(
                                new org.jocl.CLException("gone", org.jocl.CL.CL_DEVICE_NOT_AVAILABLE),
                                "running a kernel");
            })
            .withResources(Map.of("GPU", 1));

    @Test
    void shouldTakeALostDeviceOutOfPlacementAndCrashWhatOnlyItCouldRun() {
        Device first = host.getFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                host.stream()
                                .filter(d -> d.name().equals(first.name())
                                        && d.platform().equals(first.platform()))
                                .count()
                        == 1,
                "the host has two devices named " + first.name());
        List<State<?>> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        GpuTaskRunner runner = GpuTaskRunner.builder()
                .name(host.getFirst().name()) // one device, so that none is left once it is lost
                .platform(host.getFirst().platform())
                .types(host.getFirst().type())
                .build();
        State<Object> flow = Flow.of("device-lost", runner, () -> {
                    TaskFuture<Integer> lost = LOSES_ITS_DEVICE.submit();
                    TaskFuture<float[]> waiting = SAXPY.submit(ramp(100)); // waits for the one device
                    states.add(lost.await());
                    states.add(waiting.await());
                    states.add(SAXPY.submit(ramp(100)).await()); // submitted after the loss
                    return null;
                })
                .callForState();

        assertThat(states.getFirst().type()).isEqualTo(StateType.CRASHED);
        // lost with its device, it ran again: no device was left, so it crashed saying why
        for (State<?> after : states) {
            assertThat(after.type()).isIn(StateType.CRASHED, StateType.FAILED);
            assertThat(after.message())
                    .contains("No worker of GpuTaskRunner is left to run it")
                    .contains("gpu-" + host.getFirst().index() + ": its device #")
                    .contains(" was lost: CL_DEVICE_NOT_AVAILABLE");
        }
        assertThat(states).as("the flow went on after the loss").hasSize(3);
        assertThat(flow.message())
                .as("its end, from its task runs', as Prefect's")
                .isEqualTo("3/3 states failed.");
    }
}
