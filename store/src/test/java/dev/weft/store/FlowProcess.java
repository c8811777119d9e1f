package dev.weft.store;

import dev.weft.ConcurrentTaskRunner;
import dev.weft.Flow;
import dev.weft.StateType;
import dev.weft.Task;
import dev.weft.Task0;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * A JVM of its own that runs a flow of tagged tasks against the store its system properties name ({@code
 * weft.home} or {@code weft.database.url}), for {@link FlowProcessesTest}. Modes:
 *
 * <ul>
 *   <li>{@code work GAUGE TAG TASKS GO}: waits for the file {@code GO}, then submits {@code TASKS} tasks
 *       tagged {@code TAG}; each records itself in the {@link Gauge} file while it runs. Prints {@code done}.
 *   <li>{@code hold TAG}: one tagged task that prints {@code holding} and then never ends.
 *   <li>{@code wait TAG}: one tagged task; prints {@code queued} once it is, and {@code started MILLIS} when
 *       it runs.
 *   <li>{@code tagged TAG TASKS}: submits {@code TASKS} tasks tagged {@code TAG} and waits for them all;
 *       prints {@code took MILLIS} for the flow and {@code final TYPE...}, the runs' final state types.
 *   <li>{@code record GO TAG TASKS HOLD_MS OUT [MORE MORE_TASKS]}: waits for the file {@code GO}, submits
 *       {@code TASKS} tasks tagged {@code TAG} that each run {@code HOLD_MS} ms, and prints {@code submitted
 *       MICROS}, then {@code queued} once none is still waiting for the store's first answer. With {@code
 *       MORE}, it then waits for that file and submits {@code MORE_TASKS} more. Each task records when it
 *       ran, in microseconds of the wall clock, which processes of one machine share; the records go to
 *       the file {@code OUT}, one {@code START END} line per task, before it prints {@code done}.
 * </ul>
 */
final class FlowProcess {
    private FlowProcess() {}

    /**
     * Runs one mode.
     *
     * @param args the mode and its arguments
     * @throws Exception on any failure, which ends the process with a status other than 0
     */
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "work" -> work(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Path.of(args[4]));
            case "hold" -> hold(args[1]);
            case "wait" -> waitForSlot(args[1]);
            case "record" -> record(args);
            case "tagged" -> tagged(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0); // the store's threads are daemons, but say so
    }

    private static void work(Path gauge, String tag, int tasks, Path go) throws Exception {
        while (!Files.exists(go)) {
            Thread.sleep(5);
        }
        Task1<Integer, Integer> limited = Task.of("limited", (Integer i) -> {
                    Gauge.enter(gauge);
                    try {
                        Thread.sleep(15); // the task's work: long enough for runs to overlap
                    } finally {
                        Gauge.exit(gauge);
                    }
                    return i;
                })
                .withTags(tag);
        int sum = Flow.of("work", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < tasks; i++) {
                        runs.add(limited.submit(i));
                    }
                    return runs.stream().mapToInt(TaskFuture::result).sum();
                })
                .call();
        if (sum != tasks * (tasks - 1) / 2) {
            throw new IllegalStateException("wrong sum " + sum);
        }
        System.out.println("done");
    }

    private static void hold(String tag) {
        Task0<Integer> holds = Task.of("holds", () -> {
                    System.out.println("holding");
                    System.out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                    return 0;
                })
                .withTags(tag);
        Flow.of("hold", new ConcurrentTaskRunner(), () -> holds.submit().result())
                .call();
    }

    private static void waitForSlot(String tag) {
        Task0<Long> starts = Task.of("starts", System::currentTimeMillis).withTags(tag);
        long started = Flow.of("wait", new ConcurrentTaskRunner(), () -> {
                    TaskFuture<Long> run = starts.submit();
                    while (run.state().type() != StateType.QUEUED && !run.isDone()) {
                        Thread.sleep(5);
                    }
                    System.out.println(run.isDone() ? "never queued" : "queued");
                    System.out.flush();
                    return run.result();
                })
                .call();
        System.out.println("started " + started);
    }

    private static void tagged(String tag, int tasks) {
        Task1<Integer, Integer> tagged = Task.of("tagged", (Integer i) -> i).withTags(tag);
        long start = System.nanoTime();
        List<StateType> states = Flow.of("tagged", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < tasks; i++) {
                        runs.add(tagged.submit(i));
                    }
                    List<StateType> types = new ArrayList<>();
                    for (TaskFuture<Integer> run : runs) {
                        types.add(run.await().type());
                    }
                    return types;
                })
                .call();
        System.out.println("took " + (System.nanoTime() - start) / 1_000_000);
        System.out.println("final " + states.stream().map(StateType::name).collect(Collectors.joining(" ")));
    }

    private static void record(String[] args) throws Exception {
        Path go = Path.of(args[1]);
        String tag = args[2];
        int tasks = Integer.parseInt(args[3]);
        long holdMs = Long.parseLong(args[4]);
        Path out = Path.of(args[5]);
        Path more = args.length > 6 ? Path.of(args[6]) : null;
        int moreTasks = args.length > 7 ? Integer.parseInt(args[7]) : 0;
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        Task1<Integer, Integer> held = Task.of("held", (Integer i) -> {
                    long start = micros();
                    Thread.sleep(holdMs);
                    ran.add(start + " " + micros());
                    return i;
                })
                .withTags(tag);
        awaitFile(go);
        Flow.of("record", new ConcurrentTaskRunner(), () -> {
                    List<TaskFuture<Integer>> runs = new ArrayList<>();
                    for (int i = 0; i < tasks; i++) {
                        runs.add(held.submit(i));
                    }
                    System.out.println("submitted " + micros());
                    while (runs.stream().anyMatch(r -> r.state().type() == StateType.PENDING)) {
                        Thread.sleep(1);
                    }
                    System.out.println("queued");
                    System.out.flush();
                    if (more != null) {
                        awaitFile(more);
                        for (int i = 0; i < moreTasks; i++) {
                            runs.add(held.submit(tasks + i));
                        }
                    }
                    runs.forEach(TaskFuture::result);
                    return null;
                })
                .call();
        Files.write(out, ran);
        System.out.println("done");
    }

    private static void awaitFile(Path file) throws InterruptedException {
        while (!Files.exists(file)) {
            Thread.sleep(1);
        }
    }

    /** The wall clock in microseconds since the epoch. */
    static long micros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    /**
     * A file that counts the tagged runs running now, across processes, and the most at once: three longs
     * (now, most, done) under a file lock.
     */
    @SuppressWarnings("try") // the lock works by being held, not by being referenced
    static final class Gauge {
        private Gauge() {}

        static void enter(Path file) throws IOException {
            update(file, +1);
        }

        static void exit(Path file) throws IOException {
            update(file, -1);
        }

        // A file lock keeps other processes out; threads of this one must take turns before they ask.
        private static synchronized void update(Path file, int delta) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
                    FileChannel channel = raf.getChannel();
                    FileLock lock = channel.lock()) {
                long[] v = read(raf);
                v[0] += delta;
                v[1] = Math.max(v[1], v[0]);
                if (delta < 0) {
                    v[2]++;
                }
                raf.seek(0);
                raf.writeLong(v[0]);
                raf.writeLong(v[1]);
                raf.writeLong(v[2]);
            }
        }

        /** Returns now, most and done. */
        static synchronized long[] read(Path file) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw");
                    FileChannel channel = raf.getChannel();
                    FileLock lock = channel.lock()) {
                return read(raf);
            }
        }

        private static long[] read(RandomAccessFile raf) throws IOException {
            if (raf.length() < 24) {
                return new long[3];
            }
            raf.seek(0);
            return new long[] {raf.readLong(), raf.readLong(), raf.readLong()};
        }
    }
}
