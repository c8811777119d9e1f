package dev.weft.examples.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.examples.testing.Blocking;
import dev.weft.examples.testing.Transcript;
import dev.weft.gpu.Device;
import dev.weft.gpu.GpuTaskRunner;
import dev.weft.gpu.testing.OpenClHost;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example's runner has a worker per OpenCL device, each running 2 calls at once, with {@code GPU=1} and
 * 1 process. As in the twin on the fork-join runner, each test runs the example with hooks that hold its
 * calls in their bodies (where they print), so that what runs beside what is observable without timing:
 *
 * <ul>
 *   <li>the GPU call ({@code 0}) stays in its body until a process call is in its own;
 *   <li>each process call ({@code 1} to {@code 3}) stays in its body until a probe, a call that needs no
 *       resources and that it submits from there, has run. On a host of one device, with one of the
 *       device's two threads held by the process call, the probe runs only on the other one; a runner that
 *       started a second process call there meanwhile would have given it that thread, and the probe (so
 *       the test) would wait in vain.
 * </ul>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GpuResourcesTest {
    private static final String PRINTED = "([0-3]) on (#\\d+ .+ \\((GPU|ACCELERATOR|CPU|OTHER), \\d+ GiB(, PoCL)?\\))";

    /** The devices the example's runner uses. */
    private List<Device> devices;

    /** What the hooks saw during one run of the example. */
    private record Observed(
            List<String> printed,
            int mostProcessCallsAtOnce,
            boolean gpuCallRanBesideAProcessCall,
            List<String> problems) {}

    @BeforeEach
    void needsOpenCl() {
        OpenClHost.devices();
        GpuTaskRunner runner = (GpuTaskRunner) GpuResources.devices.duplicate();
        runner.start();
        try {
            devices = runner.devices();
        } finally {
            runner.shutdown();
        }
    }

    @Test
    void shouldNeverRunMoreCallsThatNeedAProcessAtOnceThanThereAreDevices() throws Exception {
        Observed run = runHoldingEachCall();

        assertThat(run.problems()).isEmpty();
        assertThat(run.mostProcessCallsAtOnce()).isBetween(1, devices.size());
    }

    @Test
    void shouldRunTheGpuCallBesideAHeldProcessCall() throws Exception {
        Observed run = runHoldingEachCall();

        assertThat(run.problems()).isEmpty();
        assertThat(run.gpuCallRanBesideAProcessCall()).isTrue();
    }

    @Test
    void shouldStartTheProcessCallsInSubmissionOrderOnAHostOfOneDevice() throws Exception {
        Assumptions.assumeTrue(
                devices.size() == 1, "on several devices, each has a process: the calls run side by side");

        List<String> numbers = Transcript.printed(Transcript.of(() -> GpuResources.main(new String[0]))).stream()
                .map(line -> line.substring(0, line.indexOf(' ')))
                .toList();

        assertThat(numbers).containsExactlyInAnyOrder("0", "1", "2", "3");
        assertThat(numbers.stream().filter(x -> !x.equals("0"))).containsExactly("1", "2", "3");
    }

    @Test
    void shouldPrintForEachCallTheDeviceItRunsOn() throws Exception {
        List<String> printed = Transcript.printed(Transcript.of(() -> GpuResources.main(new String[0])));
        List<String> described = devices.stream().map(Device::describe).toList();

        assertThat(printed)
                .hasSize(4)
                .allMatch(line -> line.matches(PRINTED), "is a number and a device")
                .allMatch(line -> described.contains(line.replaceFirst(PRINTED, "$2")), "names a device of the runner");
    }

    @Test
    void shouldLogTheDevicesItUses() throws Exception {
        List<String> logged = Transcript.logged(Transcript.of(() -> GpuResources.main(new String[0])));
        String using = "Using " + devices.size() + " OpenCL device" + (devices.size() == 1 ? "" : "s")
                + ", 2 calls at a time on each: gpu-" + devices.getFirst().index() + " = "
                + devices.getFirst().describe();

        assertThat(logged)
                .containsSubsequence(
                        "Starting task runner `GpuTaskRunner`...", "Shutting down task runner `GpuTaskRunner`...")
                .anyMatch(line -> line.startsWith(using));
        if (devices.stream().allMatch(Device::isPoclCpu)) {
            assertThat(logged)
                    .anyMatch(line ->
                            line.startsWith(using) && line.endsWith("; no GPU: the calls run on PoCL's CPU device"));
        }
    }

    private static Observed runHoldingEachCall() throws Exception {
        AtomicInteger processCallsInside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch aProcessCallInside = new CountDownLatch(1);
        AtomicBoolean gpuBeside = new AtomicBoolean();
        Queue<String> problems = new ConcurrentLinkedQueue<>();
        Map<Integer, CountDownLatch> probeRan = new ConcurrentHashMap<>();
        Task1<Integer, Void> probe =
                Task.of("probe", (Integer x) -> probeRan.get(x).countDown());

        List<String> transcript = Transcript.of(() -> GpuResources.main(new String[0]), line -> {
            if (!line.matches(PRINTED)) {
                return;
            }
            int x = Integer.parseInt(line.substring(0, 1));
            if (x == 0) {
                if (Blocking.await(aProcessCallInside)) {
                    gpuBeside.set(true);
                } else {
                    problems.add("the GPU call waited in vain for a process call to run beside it");
                }
                return;
            }
            most.accumulateAndGet(processCallsInside.incrementAndGet(), Math::max);
            aProcessCallInside.countDown();
            CountDownLatch ran = new CountDownLatch(1);
            probeRan.put(x, ran);
            probe.submit(x); // from inside show(x): a call of the same flow run
            if (!Blocking.await(ran)) {
                problems.add("no call ran beside show(" + x + ") on its device's other thread");
            }
            processCallsInside.decrementAndGet();
        });
        return new Observed(Transcript.printed(transcript), most.get(), gpuBeside.get(), List.copyOf(problems));
    }
}
