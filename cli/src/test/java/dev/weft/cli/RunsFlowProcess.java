package dev.weft.cli;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.FlowRunFuture;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.spi.RunHistories;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM of its own that runs one flow, {@code nightly}, with {@code TASKS} tasks {@code square} and one task
 * {@code fails} that throws, against the store its system properties name, for {@link RunsCommandTest}.
 * Prints {@code flow NAME} once its history is written, and exits.
 */
final class RunsFlowProcess {
    private RunsFlowProcess() {}

    /**
     * Runs the flow.
     *
     * @param args {@code TASKS}
     */
    public static void main(String[] args) {
        int tasks = Integer.parseInt(args[0]);
        Task1<Integer, Integer> square = Task.of("square", (Integer i) -> i * i);
        Task0<Integer> fails = Task.<Integer>of("fails", () -> {
            throw new IllegalStateException("the disk is full");
        });
        FlowRunFuture<Integer> run = Flow.of("nightly", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < tasks; i++) {
                        runs.add(square.submit(i));
                    }
                    fails.submit().await();
                    runs.forEach(TaskFuture::await);
                    return runs.size();
                })
                .start();
        run.await();
        if (!RunHistories.flush(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the history was not written in time");
        }
        System.out.println("flow " + run.name());
        System.exit(0);
    }
}
