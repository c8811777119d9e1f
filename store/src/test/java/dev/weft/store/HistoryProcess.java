package dev.weft.store;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.FlowContext;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import dev.weft.spi.RunHistories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM of its own that runs one flow against the store its system properties name ({@code weft.home} or
 * {@code weft.database.url}), for {@link RunHistoryProcessesTest}: {@code TASKS} tasks {@code square}, and
 * one task {@code fails} that throws. With a file {@code GO}, once the tasks have ended the flow prints
 * {@code waiting NAME} and waits for that file before it ends; without, it prints {@code flow NAME} at its
 * end. It exits once its history is written.
 */
final class HistoryProcess {
    private HistoryProcess() {}

    /**
     * Runs the flow.
     *
     * @param args {@code TASKS [GO]}
     * @throws Exception on any failure, which ends the process with a status other than 0
     */
    public static void main(String[] args) throws Exception {
        int tasks = Integer.parseInt(args[0]);
        Path go = args.length > 1 ? Path.of(args[1]) : null;
        Task1<Integer, Integer> square = Task.of("square", (Integer i) -> i * i);
        Task0<Integer> fails = Task.<Integer>of("fails", () -> {
            throw new IllegalStateException("the disk is full");
        });
        var run = Flow.of("crossing", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < tasks; i++) {
                        runs.add(square.submit(i));
                    }
                    TaskFuture<Integer> bad = fails.submit();
                    runs.forEach(TaskFuture::await);
                    bad.await();
                    if (go != null) {
                        System.out.println("waiting " + FlowContext.current().flowRunName());
                        System.out.flush();
                        while (!Files.exists(go)) {
                            Thread.sleep(10);
                        }
                    }
                    return runs.size();
                })
                .start();
        run.await();
        System.out.println("flow " + run.name());
        if (!RunHistories.flush(Duration.ofSeconds(30))) {
            throw new IllegalStateException("the history was not written in time");
        }
        System.exit(0);
    }
}
