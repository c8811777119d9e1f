package dev.weft.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Flow;
import dev.weft.InsufficientResourcesException;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.TaskRunner;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import dev.weft.gpu.testing.OpenClHost;
import dev.weft.kernels.Kernels;
import dev.weft.remote.ClusterSecret;
import dev.weft.remote.HazelcastTaskRunner;
import dev.weft.remote.WeftWorker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GPU=auto} on the fork-join runner and on a cluster worker: the GPUs are the devices the process
 * sees, and a call that needs {@code GPU=1} runs on a device of its own, reached through {@link Gpu#current()}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
final class AutoGpusTest {
    private static final String SECRET = "auto-gpus-test-secret-0123456789";

    /** Calls running at this moment on each device, and the most seen at once, by device name. */
    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();

    private List<Device> chosen;

    @BeforeEach
    void needsOpenCl() {
        List<Device> host = OpenClHost.devices();
        chosen = GpuTaskRunner.builder().choose(host, System.getenv(GpuTaskRunner.DEVICES_VARIABLE));
        RUNNING.clear();
        MOST.clear();
    }

    /** Doubles a ramp on the call's device, holding it a little, and says which device it was. */
    private static String onDevice(int n) {
        Gpu gpu = Gpu.current();
        String device = "gpu-" + gpu.device().index();
        AtomicInteger now = RUNNING.computeIfAbsent(device, d -> new AtomicInteger());
        int running = now.incrementAndGet();
        MOST.computeIfAbsent(device, d -> new AtomicInteger()).accumulateAndGet(running, Math::max);
        try {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
            }
            cl_kernel saxpy = gpu.kernel(Kernels.SAXPY);
            cl_mem xs = gpu.buffer(x);
            cl_mem ys = gpu.buffer(x);
            gpu.run(saxpy, n, 64, 1.0f, xs, ys, n);
            float[] y = new float[n];
            gpu.read(ys, y);
            for (int i = 0; i < n; i++) {
                if (y[i] != 2 * x[i]) {
                    throw new AssertionError("saxpy on " + device + " gave " + y[i] + " at " + i);
                }
            }
            Thread.sleep(30);
            return device;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            now.decrementAndGet();
        }
    }

    private static final Task1<Integer, String> WHOLE =
            Task.of("whole-device", AutoGpusTest::onDevice).withResources(Map.of("GPU", 1));

    private static final Task1<Integer, String> HALF =
            Task.of("half-device", AutoGpusTest::onDevice).withResources(Map.of("GPU", 0.5));

    /**
     * Runs where it is placed, as {@link #WHOLE}, and says which device, in which JVM, and the most calls that
     * JVM saw on that device at once.
     */
    private static final Task1<Integer, String> WHOLE_IN_A_WORKER = Task.of("whole-device-in-a-worker", (Integer n) -> {
                String device = onDevice(n);
                return device + "@" + ProcessHandle.current().pid() + " most "
                        + MOST.get(device).get();
            })
            .withResources(Map.of("GPU", 1));

    /** Runs 12 calls of a task on the runner; returns the devices they ran on. */
    private static List<String> twelve(TaskRunner runner, Task1<Integer, String> task) {
        return Flow.of("auto-gpus", runner, () -> {
                    List<TaskFuture<String>> futures = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        futures.add(task.submit(1_000 + i));
                    }
                    return futures.stream().map(TaskFuture::result).toList();
                })
                .call();
    }

    private List<String> names() {
        return chosen.stream().map(d -> "gpu-" + d.index()).toList();
    }

    @Test
    void shouldGiveEachGpuCallOfTheForkJoinRunnerADeviceOfItsOwn() {
        ForkJoinTaskRunner runner = ForkJoinTaskRunner.builder()
                .workers(2)
                .threadsPerWorker(3)
                .gpuWorkers()
                .build();
        long releasedBefore = Gpu.RELEASED.get();

        List<String> ran = twelve(runner, WHOLE);

        assertThat(ran).hasSize(12).allMatch(names()::contains);
        assertThat(MOST).allSatisfy((device, most) -> assertThat(most.get())
                .as("calls with GPU=1 at once on %s", device)
                .isEqualTo(1));
        assertThat(Gpu.RELEASED.get() - releasedBefore)
                .as("each call's kernel and two buffers, released as it ended")
                .isEqualTo(12 * 3);
    }

    @Test
    void shouldLetCallsThatAskForHalfADeviceShareItTwoAtATime() {
        List<String> ran = twelve(
                ForkJoinTaskRunner.builder()
                        .workers(1)
                        .threadsPerWorker(4)
                        .gpuWorkers()
                        .build(),
                HALF);

        assertThat(ran).hasSize(12).allMatch(names()::contains);
        assertThat(MOST).allSatisfy((device, most) -> assertThat(most.get())
                .as("calls with GPU=0.5 at once on %s", device)
                .isBetween(1, 2));
    }

    @Test
    void shouldSayInTheStartLineWhichDevicesAreTheForkJoinRunnersGpus() {
        ForkJoinTaskRunner runner =
                ForkJoinTaskRunner.builder().workers(1).gpuWorkers().build();
        runner.start();
        try {
            assertThat(runner.describe())
                    .contains("GPU=auto: gpu-" + chosen.getFirst().index() + " = #")
                    .contains("GPU=1");
        } finally {
            runner.shutdown();
        }
    }

    @Test
    void shouldRefuseACallThatNeedsMoreGpusThanTheDevicesSeen() {
        int more = chosen.size() + 1;
        State<String> state = Flow.of(
                        "too-many-gpus",
                        ForkJoinTaskRunner.builder().workers(1).gpuWorkers().build(),
                        () -> Task.of("greedy", () -> "never")
                                .withResources(Map.of("GPU", more))
                                .submit()
                                .result())
                .callForState();

        assertThat(state.type()).isEqualTo(StateType.FAILED);
        assertThat(state.message()).contains("GPU");
        assertThat(state.exception()).hasRootCauseInstanceOf(InsufficientResourcesException.class);
    }

    @Test
    void shouldGiveEachGpuCallOfAClusterWorkerADeviceOfItsOwn() {
        try (WeftWorker worker = WeftWorker.builder()
                .name("gpus")
                .address("127.0.0.1:" + freePort())
                .clusterName("auto-gpus")
                .threads(4)
                .resources("GPU=auto,process=4")
                .secret(ClusterSecret.of(SECRET))
                .start()) {
            assertThat(worker.devices()).hasSize(chosen.size());
            assertThat(worker.toString()).contains("GPU=" + chosen.size()).contains("GPU=auto: gpu-");

            List<String> ran = twelve(
                    HazelcastTaskRunner.builder()
                            .address(worker.address())
                            .clusterName("auto-gpus")
                            .secret(ClusterSecret.of(SECRET))
                            .build(),
                    WHOLE);

            assertThat(ran).hasSize(12).allMatch(names()::contains);
            assertThat(MOST).allSatisfy((device, most) -> assertThat(most.get())
                    .as("calls with GPU=1 at once on %s", device)
                    .isEqualTo(1));
        }
    }

    @Test
    void shouldTakeALostDeviceOutOfTheForkJoinRunnerAndRunTheRestOfTheFlow() {
        List<State<?>> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        State<String> flow = Flow.of(
                        "lost-on-fork-join",
                        ForkJoinTaskRunner.builder().workers(1).gpuWorkers().build(),
                        () -> {
                            for (int i = 0; i < chosen.size(); i++) {
                                states.add(GpuTaskRunnerTest.LOSES_ITS_DEVICE
                                        .submit()
                                        .await());
                            }
                            states.add(WHOLE.submit(100).await());
                            return Task.of("on_the_cpu", () -> "still runs")
                                    .submit()
                                    .result();
                        })
                .callForState();

        assertThat(states.subList(0, chosen.size())).allSatisfy(lost -> assertThat(lost.message())
                .as("each ran again after its device was lost, until none was left, or it was lost 3 times")
                .containsAnyOf("No worker of ForkJoinTaskRunner can ever run it", "was lost with its worker 3 times")
                .contains("CL_DEVICE_NOT_AVAILABLE"));
        assertThat(states.getLast().message())
                .contains("No worker of ForkJoinTaskRunner can ever run it")
                .contains(" was lost: CL_DEVICE_NOT_AVAILABLE");
        assertThat(flow.type()).as(flow.message()).isEqualTo(StateType.COMPLETED);
        assertThat(flow.result()).isEqualTo("still runs");
    }

    @Test
    void shouldGiveEachWorkerOfATemporaryClusterADeviceOfItsOwn() {
        List<String> ran = twelve(
                HazelcastTaskRunner.builder()
                        .workers(2)
                        .threadsPerWorker(2)
                        .gpuWorkers()
                        .build(),
                WHOLE_IN_A_WORKER);

        assertThat(ran).hasSize(12).allSatisfy(r -> assertThat(r)
                .as("one call at a time on a device, of two threads")
                .endsWith(" most 1"));
        Map<String, List<String>> devicesByWorker = ran.stream()
                .collect(java.util.stream.Collectors.groupingBy(
                        r -> r.substring(r.indexOf('@') + 1, r.indexOf(' ')),
                        java.util.stream.Collectors.mapping(r -> r.substring(0, r.indexOf('@')), toDistinctList())));
        assertThat(devicesByWorker)
                .as("the workers that have a device: one each, while there are devices")
                .hasSize(Math.min(2, chosen.size()));
        assertThat(devicesByWorker.values())
                .allSatisfy(devices -> assertThat(devices).hasSize(1));
        assertThat(devicesByWorker.values().stream().map(List::getFirst).distinct())
                .as("no device shared by two workers")
                .hasSize(devicesByWorker.size())
                .allMatch(names()::contains);
    }

    private static java.util.stream.Collector<String, ?, List<String>> toDistinctList() {
        return java.util.stream.Collectors.collectingAndThen(
                java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new), List::copyOf);
    }

    /** Faults of {@link #LOSES_ON_A_DEVICE} on a device, which said it was gone. */
    private static final AtomicInteger DEVICE_FAULTS = new AtomicInteger();

    /** Meets its device gone wherever it has one, and returns where it ran where it has none. */
    private static final Task0<String> LOSES_ON_A_DEVICE = Task.<String>of("loses_on_a_device", () -> {
                Gpu gpu;
                try {
                    gpu = Gpu.current();
                } catch (IllegalStateException onAPlainWorker) {
                    return "no device: " + Thread.currentThread().getName();
                }
                DEVICE_FAULTS.incrementAndGet();
                throw gpu.fault(new CLException("gone", CL.CL_DEVICE_NOT_AVAILABLE), "running a kernel");
            })
            .withResources(Map.of("GPU", 1));

    @Test
    void shouldRunACallWhoseDeviceWasLostAgainOnAnotherWorker() throws Exception {
        DEVICE_FAULTS.set(0);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the spare worker's one thread is held first, so that the call is placed on a device
        Task0<String> hold = Task.<String>of("hold", () -> {
                    holding.countDown();
                    return release.await(60, TimeUnit.SECONDS) ? "held" : "timed out";
                })
                .withResources(Map.of("spare", 1));
        List<State<String>> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        State<Object> flow = Flow.of(
                        "rerun-after-loss",
                        ForkJoinTaskRunner.builder()
                                .workers(1)
                                .worker(Map.of("GPU", 1, "spare", 1)) // a GPU=1 worker without a device
                                .gpuWorkers()
                                .build(),
                        () -> {
                            TaskFuture<String> held = hold.submit();
                            holding.await(60, TimeUnit.SECONDS);
                            TaskFuture<String> lost = LOSES_ON_A_DEVICE.submit();
                            while (DEVICE_FAULTS.get() < Math.min(chosen.size(), 3)) {
                                Thread.sleep(5); // lost on each device in turn, at most 3 times
                            }
                            release.countDown();
                            states.add(held.await());
                            states.add(lost.await());
                            states.add(LOSES_ON_A_DEVICE.submit().await()); // the devices are out of placement
                            return null;
                        })
                .callForState();

        assertThat(flow.type()).as(flow.message()).isIn(StateType.COMPLETED, StateType.CRASHED);
        assertThat(states).hasSize(3);
        assertThat(states.getFirst().result()).isEqualTo("held");
        if (chosen.size() < 3) {
            assertThat(states.get(1).type()).as(states.get(1).message()).isEqualTo(StateType.COMPLETED);
            assertThat(states.get(1).result())
                    .as("lost with its device, it ran again on the worker without one")
                    .startsWith("no device: weft-forkjoin-");
        } else {
            assertThat(states.get(1).message()).contains("was lost with its worker 3 times");
        }
        assertThat(states.get(2).result())
                .as("no device is placed on once lost")
                .startsWith("no device: ");
        assertThat(DEVICE_FAULTS.get()).isEqualTo(Math.min(chosen.size(), 3));
    }

    @Test
    void shouldRefuseGpuCallsOnAClusterWorkerWhoseDevicesAreLost() {
        try (WeftWorker worker = WeftWorker.builder()
                .name("losing")
                .address("127.0.0.1:" + freePort())
                .clusterName("auto-gpus-lost")
                .threads(1)
                .autoGpus()
                .secret(ClusterSecret.of(SECRET))
                .start()) {
            List<State<?>> states = new java.util.concurrent.CopyOnWriteArrayList<>();
            Flow.of(
                            "lost-on-a-worker",
                            HazelcastTaskRunner.builder()
                                    .address(worker.address())
                                    .clusterName("auto-gpus-lost")
                                    .secret(ClusterSecret.of(SECRET))
                                    .build(),
                            () -> {
                                for (int i = 0; i < chosen.size(); i++) {
                                    states.add(GpuTaskRunnerTest.LOSES_ITS_DEVICE
                                            .submit()
                                            .await());
                                }
                                states.add(WHOLE.submit(100).await());
                                return null;
                            })
                    .callForState();

            assertThat(states.getFirst().type()).isEqualTo(StateType.CRASHED);
            assertThat(states.getLast().type()).isIn(StateType.CRASHED, StateType.FAILED);
            assertThat(states.getLast().message()).contains("this worker's devices are lost: gpu-");
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
