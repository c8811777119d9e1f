package dev.weft.store;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM of its own that runs a flow and waits to be stopped by a signal, for {@link ProcessStopTest}; it
 * prints the flow run's final state. Modes:
 *
 * <ul>
 *   <li>{@code hold TAG}: three tasks tagged {@code TAG} (whose limit the test sets to 2): two take the
 *       slots and print {@code holding N}, then sleep until interrupted, printing {@code finally N} as they
 *       leave; the third waits QUEUED. Prints {@code ready} once two hold slots and the third is queued.
 *   <li>{@code stubborn}: one task that ignores interrupts and never returns; prints {@code ready} once it
 *       runs.
 *   <li>{@code plain}: one task that sleeps until interrupted, printing {@code ready} and {@code finally}.
 * </ul>
 */
final class StoppedProcess {
    private StoppedProcess() {}

    /**
     * Runs one mode.
     *
     * @param args the mode and its arguments
     * @throws Exception on any failure
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hold" -> hold(args[1]);
            case "stubborn" -> stubborn();
            case "plain" -> plain();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void hold(String tag) {
        Task1<Integer, Integer> holds = Task.of("holds", (Integer n) -> {
                    System.out.println("holding " + n);
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } finally {
                        System.out.println("finally " + n);
                    }
                    return n;
                })
                .withTags(tag);
        Flow.of("stopped", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        runs.add(holds.submit(i));
                    }
                    while (runs.stream()
                                            .filter(r -> r.state().type() == StateType.RUNNING)
                                            .count()
                                    < 2
                            || runs.stream().noneMatch(r -> r.state().type() == StateType.QUEUED)) {
                        Thread.sleep(5);
                    }
                    System.out.println("ready");
                    runs.forEach(TaskFuture::await);
                })
                .callForState();
    }

    private static void stubborn() {
        Task1<Integer, Integer> stubborn = Task.of("stubborn", (Integer n) -> {
            System.out.println("ready");
            for (; ; ) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException ignored) {
                    System.out.println("ignoring the interrupt");
                }
            }
        });
        Flow.of("stubborn", new ConcurrentTaskRunner(), () -> {
                    stubborn.submit(0).await();
                })
                .callForState();
    }

    private static void plain() {
        Task1<Integer, Integer> sleeps = Task.of("sleeps", (Integer n) -> {
            System.out.println("ready");
            try {
                Thread.sleep(Long.MAX_VALUE);
            } finally {
                System.out.println("finally");
            }
            return n;
        });
        Flow.of("plain", new ConcurrentTaskRunner(), () -> {
                    sleeps.submit(0).await();
                })
                .callForState();
    }
}
