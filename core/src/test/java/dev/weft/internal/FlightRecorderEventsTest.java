package dev.weft.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.SequentialTaskRunner;
import dev.weft.State;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.TaskRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flight-recorder events: a recording that enables them gets one event per flow run and per task run,
 * with its names, final state, runner, worker and the time it ran; without one, no event is made at all.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
final class FlightRecorderEventsTest {
    private static final Duration NAP = Duration.ofMillis(50);

    private static final Task1<Integer, Integer> NAPPING = Task.of("napping", (Integer x) -> {
        Thread.sleep(NAP);
        return x;
    });
    private static final Task0<Integer> FAILING = Task.of("failing", () -> {
        throw new IllegalStateException("no luck");
    });

    @TempDir
    Path dir;

    static Stream<Arguments> runners() {
        return Stream.of(
                Arguments.of("SequentialTaskRunner", (Supplier<TaskRunner>) SequentialTaskRunner::new),
                Arguments.of("ConcurrentTaskRunner", (Supplier<TaskRunner>) ConcurrentTaskRunner::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runners")
    void shouldRecordEveryTaskRunAndTheFlowRunWithStateRunnerWorkerAndDuration(
            String runnerName, Supplier<TaskRunner> runner) throws IOException {
        String flowName = "jfr-" + runnerName;
        List<RecordedEvent> events = recorded(() -> {
            State<Void> state = Flow.of(flowName, runner.get(), () -> {
                        TaskFuture<Integer> first = NAPPING.submit(1);
                        TaskFuture<Integer> failed = FAILING.submit();
                        NAPPING.submit(first);
                        NAPPING.submit(failed); // never runs: its upstream run failed
                    })
                    .callForState();
            assertThat(state.type()).isEqualTo(StateType.FAILED);
        });

        List<RecordedEvent> tasks = of(events, TaskRunEvent.NAME, flowName);
        assertThat(tasks).hasSize(4);
        String flowRun = tasks.getFirst().getString("flowRun");
        assertThat(tasks).allSatisfy(e -> {
            assertThat(e.getString("flowRun")).isEqualTo(flowRun);
            assertThat(e.getString("runner")).isEqualTo(runnerName);
            assertThat(e.getString("taskRun")).startsWith(e.getString("task") + "-");
        });
        List<RecordedEvent> ran = tasks.stream()
                .filter(e -> e.getString("task").equals("napping")
                        && e.getString("state").equals("COMPLETED"))
                .toList();
        assertThat(ran).hasSize(2).allSatisfy(e -> {
            assertThat(e.getDuration()).isGreaterThanOrEqualTo(NAP);
            assertThat(e.getString("worker")).isNotEmpty();
            assertThat(e.getString("message")).isNull();
        });
        assertThat(tasks)
                .filteredOn(e -> e.getString("task").equals("failing"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getString("state")).isEqualTo("FAILED");
                    assertThat(e.getString("message"))
                            .isEqualTo("Task run encountered an exception: java.lang.IllegalStateException: no luck");
                    assertThat(e.getString("worker")).isNotEmpty();
                });
        assertThat(tasks)
                .filteredOn(e -> e.getString("task").equals("napping")
                        && !e.getString("state").equals("COMPLETED"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getString("state")).isEqualTo("FAILED");
                    assertThat(e.getString("message")).startsWith("Upstream task run 'failing-");
                    assertThat(e.getDuration()).as("it never ran").isZero();
                    assertThat(e.getString("worker")).isEmpty();
                });

        assertThat(of(events, FlowRunEvent.NAME, flowName)).singleElement().satisfies(e -> {
            assertThat(e.getString("flowRun")).isEqualTo(flowRun);
            assertThat(e.getString("parentFlowRun")).isEmpty();
            assertThat(e.getString("state")).isEqualTo("FAILED");
            assertThat(e.getString("message")).isEqualTo("2/4 states failed.");
            assertThat(e.getString("runner")).isEqualTo(runnerName);
            assertThat(e.getDuration()).isGreaterThanOrEqualTo(NAP);
        });
        assertThat(TaskRunEvent.open()).as("events of runs that ended").isZero();
    }

    @Test
    void shouldNameTheParentOfASubflowRun() throws IOException {
        List<RecordedEvent> events = recorded(() -> Flow.of("jfr-parent", () -> {
                    Flow.of("jfr-child", () -> NAPPING.call(1)).call();
                })
                .call());

        String parent = of(events, FlowRunEvent.NAME, "jfr-parent").getFirst().getString("flowRun");
        assertThat(of(events, FlowRunEvent.NAME, "jfr-child")).singleElement().satisfies(e -> {
            assertThat(e.getString("parentFlowRun")).isEqualTo(parent);
            assertThat(e.getString("state")).isEqualTo("COMPLETED");
        });
        assertThat(of(events, TaskRunEvent.NAME, "jfr-child"))
                .singleElement()
                .satisfies(e -> assertThat(e.getString("worker")).isNotEmpty());
    }

    @Test
    void shouldTimeARetriedRunFromItsFirstTry() throws IOException {
        AtomicInteger tries = new AtomicInteger();
        Task0<Integer> flaky = Task.of("flaky", () -> {
                    Thread.sleep(NAP);
                    if (tries.incrementAndGet() == 1) {
                        throw new IOException("first try");
                    }
                    return 1;
                })
                .withRetries(1, Duration.ZERO);
        List<RecordedEvent> events =
                recorded(() -> Flow.of("jfr-retry", new ConcurrentTaskRunner(), () -> flaky.submit()
                                .result())
                        .call());

        assertThat(of(events, TaskRunEvent.NAME, "jfr-retry")).singleElement().satisfies(e -> {
            assertThat(e.getString("state")).isEqualTo("COMPLETED");
            assertThat(e.getDuration()).isGreaterThanOrEqualTo(NAP.multipliedBy(2));
        });
        assertThat(TaskRunEvent.open()).isZero();
    }

    @Test
    void shouldRecordARunThatWasRunningWhenTheRecordingStartedAtItsEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Task0<Integer> waiting = Task.of("waiting", () -> {
            started.countDown();
            release.await();
            return 1;
        });
        var flow = Flow.of("jfr-late", new ConcurrentTaskRunner(), () -> waiting.submit()
                        .result())
                .start();
        started.await();
        List<RecordedEvent> events = recorded(() -> {
            release.countDown();
            flow.await();
        });

        assertThat(of(events, TaskRunEvent.NAME, "jfr-late")).singleElement().satisfies(e -> {
            assertThat(e.getString("state")).isEqualTo("COMPLETED");
            assertThat(e.getDuration()).isZero();
        });
        assertThat(of(events, FlowRunEvent.NAME, "jfr-late")).hasSize(1);
    }

    @Test
    void shouldMakeNoEventWhileNoRecordingEnablesThem() throws IOException {
        AtomicInteger openWhileRunning = new AtomicInteger(-1);
        Task0<Integer> look = Task.of("look", () -> {
            openWhileRunning.set(TaskRunEvent.open());
            return 1;
        });
        Path file = dir.resolve("disabled.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ThreadSleep"); // the recorder runs, with Weft's events off
            recording.disable(TaskRunEvent.NAME);
            recording.disable(FlowRunEvent.NAME);
            recording.start();
            Flow.of("jfr-off", new ConcurrentTaskRunner(), () -> look.submit().result())
                    .call();
            recording.stop();
            recording.dump(file);
        }
        assertThat(openWhileRunning.get()).as("events of running runs").isZero();
        assertThat(RecordingFile.readAllEvents(file))
                .noneMatch(e -> e.getEventType().getName().startsWith("dev.weft."));

        // With no recording running, no event is made either.
        Flow.of("jfr-none", new ConcurrentTaskRunner(), () -> look.submit().result())
                .call();
        assertThat(openWhileRunning.get()).isZero();
    }

    @Test
    void shouldNotLoadTheEventClassesInAProcessThatNeverRecords() throws Exception {
        Process process = ChildJvm.of(NeverRecords.class, List.of("-Xlog:class+load=info"))
                .redirectErrorStream(true)
                .start();
        List<String> lines =
                new String(process.getInputStream().readAllBytes()).lines().toList();
        assertThat(process.waitFor()).isZero();
        assertThat(lines).contains("flow run ended COMPLETED");
        assertThat(lines)
                .as("classes loaded")
                .filteredOn(line -> line.contains(" jdk.jfr.Event ")
                        || line.contains(TaskRunEvent.class.getName())
                        || line.contains(FlowRunEvent.class.getName()))
                .isEmpty();
    }

    /** A process that runs a flow and never starts the flight recorder. */
    static final class NeverRecords {
        public static void main(String[] args) {
            State<Integer> state = Flow.of("jfr-never", new ConcurrentTaskRunner(), () -> NAPPING.submit(1)
                            .result())
                    .callForState();
            System.out.println("flow run ended " + state.type());
        }
    }

    /** Runs {@code body} under a recording that enables Weft's events, and returns what it recorded. */
    private List<RecordedEvent> recorded(Runnable body) throws IOException {
        Path file = Files.createTempFile(dir, "weft", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(TaskRunEvent.NAME);
            recording.enable(FlowRunEvent.NAME);
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file);
    }

    private static List<RecordedEvent> of(List<RecordedEvent> events, String type, String flow) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals(type)
                        && e.getString("flow").equals(flow))
                .toList();
    }
}
