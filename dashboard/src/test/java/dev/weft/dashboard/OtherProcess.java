package dev.weft.dashboard;

import dev.weft.Flow;
import dev.weft.FlowContext;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.forkjoin.ForkJoinTaskRunner;
import dev.weft.spi.RunHistories;
import dev.weft.spi.RunRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM of its own for {@link DashboardBrowserTest}, writing its runs to the history of the store its system
 * property {@code weft.home} names: a flow {@code render-frames} of {@value #FRAMES} task runs on four
 * fork-join workers, to its end, then a second one that keeps running until this process's standard input
 * closes. It prints {@code process PID@HOST}, {@code ended NAME} once the first is written, and {@code running
 * NAME} once the second runs.
 */
final class OtherProcess {
    static final int FRAMES = 400;

    private OtherProcess() {}

    /**
     * Runs the two flows.
     *
     * @param args none
     * @throws Exception on any failure, which ends the process with a status other than 0
     */
    public static void main(String[] args) throws Exception {
        System.out.println(
                "process " + RunRecord.process(ProcessHandle.current().pid()));
        Task1<Integer, Integer> render = Task.of("render", (Integer frame) -> {
            Thread.sleep(1);
            return frame;
        });
        var ended = Flow.of(
                        "render-frames",
                        ForkJoinTaskRunner.builder()
                                .workers(4)
                                .threadsPerWorker(1)
                                .build(),
                        () -> {
                            List<TaskFuture<Integer>> frames = new ArrayList<>();
                            for (int i = 0; i < FRAMES; i++) {
                                frames.add(render.submit(i));
                            }
                            frames.forEach(TaskFuture::await);
                        })
                .start();
        ended.await();
        if (!RunHistories.flush(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the history was not written in time");
        }
        System.out.println("ended " + ended.name());
        var running = Flow.of("render-frames", () -> {
                    System.out.println("running " + FlowContext.current().flowRunName());
                    System.out.flush();
                    while (System.in.read() >= 0) {
                        // until the test closes this process's input, or the process is stopped
                    }
                })
                .start();
        running.await();
        System.exit(0);
    }
}
