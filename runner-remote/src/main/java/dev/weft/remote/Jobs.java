package dev.weft.remote;

import dev.weft.runner.CallEnvelope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's calls: those sent ahead wait in one line, higher priorities first and then in the order they
 * came; the worker's threads take them from it; what each call does (it started, it ended) waits in its
 * runner's outbox until that runner collects it. A runner that stops collecting for a minute is taken to be
 * gone: its outbox is dropped and its waiting calls with it.
 */
final class Jobs {
    private static final long ABANDONED_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final WorkerNode node;
    private final PriorityBlockingQueue<Queued> line = new PriorityBlockingQueue<>(64, Queued.ORDER);
    private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
    private final Map<UUID, Running> running = new ConcurrentHashMap<>();
    /** Calls told to stop before they started here, with when: a cancel can come before its call. */
    private final Map<UUID, Long> cancelled = new ConcurrentHashMap<>();

    private final AtomicLong arrivals = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    /** A call in line: its runner, the job, its function, and when it came. */
    private record Queued(String runner, Wire.Job job, CallEnvelope.Function function, long arrival) {
        static final Comparator<Queued> ORDER =
                Comparator.comparingInt((Queued q) -> -q.job.priority()).thenComparingLong(Queued::arrival);
    }

    /** A call running now: whose it is, and the thread it runs on. */
    private record Running(String runner, Thread thread) {}

    /**
     * What happened to a runner's calls, until it collects it; and the functions of its tasks, each read
     * once, by the key its calls name.
     */
    private static final class Outbox {
        final LinkedBlockingQueue<Wire.Event> events = new LinkedBlockingQueue<>();
        final Map<Integer, CallEnvelope.Function> functions = new ConcurrentHashMap<>();
        volatile long lastCollected = System.nanoTime();
    }

    Jobs(WorkerNode node, int count) {
        this.node = node;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::work, "weft-" + node.name() + "-call-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Thread janitor = new Thread(this::dropAbandoned, "weft-outbox-janitor");
        janitor.setDaemon(true);
        janitor.start();
    }

    /**
     * Takes calls from a runner into line, with the functions sent with them. A call whose function this
     * worker does not hold (its runner was forgotten meanwhile) ends {@code CRASHED}, saying so.
     */
    void accept(String runner, Wire.Calls calls) {
        Outbox box = outbox(runner);
        calls.functions()
                .forEach((key, bytes) -> box.functions.computeIfAbsent(key, k -> CallEnvelope.function(bytes)));
        for (Wire.Job job : calls.jobs()) {
            CallEnvelope.Function function = job.function() == Wire.INLINE
                    ? CallEnvelope.function(job.inline())
                    : box.functions.get(job.function());
            if (function == null) {
                refuse(
                        box,
                        job,
                        "worker '" + node.name() + "' does not hold the call's function (key " + job.function() + ")");
                continue;
            }
            line.add(new Queued(runner, job, function, arrivals.getAndIncrement()));
        }
    }

    /** Ends a call that this worker cannot run: it ends at once, refused (an end says it started too). */
    private static void refuse(Outbox box, Wire.Job job, String why) {
        box.events.add(new Wire.Event(Wire.ENDED, job.id(), new byte[0], new byte[0], CallEnvelope.refused(why), 0));
    }

    /**
     * Returns what happened to a runner's calls since it last asked, waiting up to {@code maxWaitMillis} for
     * something to happen. A call that started and ended since then is told by its end alone.
     */
    List<Wire.Event> collect(String runner, long maxWaitMillis) throws InterruptedException {
        Outbox box = outbox(runner);
        box.lastCollected = System.nanoTime();
        List<Wire.Event> events = new ArrayList<>();
        Wire.Event first = box.events.poll(maxWaitMillis, TimeUnit.MILLISECONDS);
        if (first != null) {
            events.add(first);
            box.events.drainTo(events);
        }
        box.lastCollected = System.nanoTime();
        return events.size() < 2 ? events : endsOnly(events);
    }

    /** Drops the starts of calls whose end is among the events: the end says that it started. */
    private static List<Wire.Event> endsOnly(List<Wire.Event> events) {
        Set<UUID> ended = new HashSet<>();
        for (Wire.Event e : events) {
            if (e.kind() == Wire.ENDED) {
                ended.add(e.id());
            }
        }
        events.removeIf(e -> e.kind() == Wire.STARTED && ended.contains(e.id()));
        return events;
    }

    /** Stops calls of a runner: those in line never start, those running are interrupted. */
    void cancel(String runner, List<UUID> ids) {
        Outbox box = outboxes.get(runner);
        for (UUID id : ids) {
            cancelled.put(id, System.nanoTime());
            if (line.removeIf(q -> q.job.id().equals(id)) && box != null) {
                cancelled.remove(id);
                box.events.add(Wire.Event.dropped(id));
            }
            Running r = running.get(id);
            if (r != null && r.runner.equals(runner)) {
                r.thread.interrupt();
            }
        }
    }

    /**
     * Forgets a runner that has shut down or gone: its waiting calls are dropped, its running ones
     * interrupted (they ended for it already), its outbox dropped.
     */
    void forget(String runner) {
        outboxes.remove(runner);
        line.removeIf(q -> q.runner.equals(runner));
        running.values().forEach(r -> {
            if (r.runner.equals(runner)) {
                r.thread.interrupt();
            }
        });
    }

    private Outbox outbox(String runner) {
        return outboxes.computeIfAbsent(runner, r -> new Outbox());
    }

    private void work() {
        while (true) {
            Queued next;
            try {
                next = line.take();
            } catch (InterruptedException e) {
                return;
            }
            run(next);
            Thread.interrupted(); // a cancel that came as the call ended must not reach the next one
        }
    }

    private void run(Queued q) {
        Wire.Job job = q.job;
        Outbox box = outboxes.get(q.runner);
        if (box == null) {
            return; // its runner is gone
        }
        if (cancelled.remove(job.id()) != null) {
            box.events.add(Wire.Event.dropped(job.id())); // cancelled before it started
            return;
        }
        ResourceGate.Lease devices;
        try {
            devices = node.gate().acquire(job.resourceNames(), job.amounts());
        } catch (InterruptedException e) {
            box.events.add(Wire.Event.dropped(job.id()));
            return;
        } catch (IllegalArgumentException e) {
            refuse(box, job, "worker '" + node.name() + "' could not run it: " + e.getMessage());
            return;
        }
        try {
            running.put(job.id(), new Running(q.runner, Thread.currentThread()));
            if (cancelled.remove(job.id()) != null || !outboxes.containsKey(q.runner)) {
                box.events.add(Wire.Event.dropped(job.id()));
                return;
            }
            box.events.add(Wire.Event.started(job.id()));
            long began = System.nanoTime();
            byte[] outcome;
            byte[][] printed;
            CallOutput.begin();
            try {
                outcome = devices == null
                        ? CallEnvelope.execute(q.function, job.arguments())
                        : devices.device().run(() -> CallEnvelope.execute(q.function, job.arguments()));
            } finally {
                printed = CallOutput.end();
            }
            box.events.add(
                    new Wire.Event(Wire.ENDED, job.id(), printed[0], printed[1], outcome, System.nanoTime() - began));
        } finally {
            running.remove(job.id());
            cancelled.remove(job.id());
            node.gate().release(job.resourceNames(), job.amounts(), devices);
        }
    }

    private void dropAbandoned() {
        while (true) {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            // a cancel whose call never came (it ended before it left the runner) is not kept for ever
            cancelled.values().removeIf(when -> now - when > ABANDONED_NANOS);
            outboxes.forEach((runner, box) -> {
                if (now - box.lastCollected > ABANDONED_NANOS) {
                    forget(runner);
                }
            });
        }
    }
}
