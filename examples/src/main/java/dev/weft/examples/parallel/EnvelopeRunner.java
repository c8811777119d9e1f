package dev.weft.examples.parallel;

import dev.weft.Flow;
import dev.weft.Resources;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.TaskRunner;
import dev.weft.runner.CallEnvelope;
import dev.weft.runner.Lifecycle;
import dev.weft.runner.Placement;
import dev.weft.runner.RunnerSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A task runner written outside Weft's engine, on its exported toolkit ({@code dev.weft.runner}): each call
 * crosses to its worker as bytes and its outcome comes back as bytes, as it would to a worker JVM. Two
 * workers are alike, a third has a GPU; the GPU task runs only there.
 */
public final class EnvelopeRunner implements TaskRunner {
    private final Lifecycle lifecycle = new Lifecycle("EnvelopeRunner");
    private volatile ExecutorService workers;
    private volatile Placement placement;

    @Override
    public RunnerSpec spec() {
        return new RunnerSpec(true, true, true, false); // calls leave the JVM, workers may leave
    }

    @Override
    public void start() {
        lifecycle.start();
        workers = Executors.newFixedThreadPool(3);
        // snippet:envelope-runner
        placement = Placement.builder("EnvelopeRunner")
                .workers(2, Resources.NONE, 1)
                .worker("gpu-0", Resources.of(Map.of("GPU", 1)), 1)
                .workersMayLeave()
                .launcher(this::send)
                .build();
        // end-snippet:envelope-runner
    }

    @Override
    public String describe() {
        return "Sending calls as bytes to " + placement.describeWorkers();
    }

    @Override
    public void submit(Call call) {
        lifecycle.requireStarted();
        placement.submit(call);
    }

    private void send(Placement.Placed placed) {
        // snippet:envelope-bytes
        byte[] request;
        try {
            request = CallEnvelope.request(placed.call()); // what cannot travel ends the call, in one line
        } catch (CallEnvelope.UnserializableException e) {
            placed.crash(e);
            return;
        }
        workers.execute(() -> {
            if (placed.begin()) { // false: cancelled meanwhile, or its worker left and it went back
                byte[] outcome = CallEnvelope.execute(request); // on the worker: nothing shared but bytes
                if (placed.held()) { // false once its worker was removed: the call runs again elsewhere
                    CallEnvelope.deliver(outcome, placed.call());
                    placed.end();
                }
            }
        });
        // end-snippet:envelope-bytes
    }

    @Override
    public void shutdown() {
        if (lifecycle.shutDown()) {
            placement.crashWaiting("EnvelopeRunner was shut down before the call could start");
            workers.shutdown();
        }
    }

    @Override
    public TaskRunner duplicate() {
        return new EnvelopeRunner();
    }

    static final Task1<Integer, Integer> SQUARE = Task.of("square", (Integer x) -> x * x);
    static final Task1<Integer, String> RENDER =
            Task.of("render", (Integer x) -> "frame " + x).withResources(Map.of("GPU", 1));

    /**
     * Squares 1 to 4 and renders one frame on the GPU worker.
     *
     * @param args none
     */
    public static void main(String[] args) {
        int sum = Flow.of("envelopes", new EnvelopeRunner(), () -> {
                    List<TaskFuture<Integer>> squares = SQUARE.map(List.of(1, 2, 3, 4));
                    System.out.println(RENDER.submit(7).result());
                    return TaskFuture.gather(squares).result().stream()
                            .mapToInt(Integer::intValue)
                            .sum();
                })
                .call();
        System.out.println("sum of squares: " + sum);
    }
}
