package dev.weft.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-sent events at {@code /api/events}: each open page watches one {@link View}, and is sent
 * what changed in it, at most once a {@link #TICK_MS}.
 *
 * <p>Design notes. One poller thread reads every view that some page watches, every tick, and wakes the
 * pages' threads; each page's thread then compares the view's sections with what it last sent that page
 * and sends only the sections that differ, in one event, plus the task runs of the stream it has not sent
 * yet. So a burst of a million state changes between two ticks costs a page one event, whose size is
 * bounded by the view's bounds ({@link Pages}) and, for a stream, by {@link #STREAM_STEP}; a page that
 * reads slowly skips ticks instead of queueing them. Nothing is read for a view no page watches. Pages
 * wait on a {@link ReentrantLock}'s condition, not a monitor, as they run on virtual threads.
 *
 * <p>Thread-safe.
 */
final class Events implements AutoCloseable {
    /** How often views are read again, and the least time between two events to one page: 4 a second. */
    static final long TICK_MS = 250;
    /** How long a page goes without an event before it is sent a comment, to find pages that went away. */
    static final long HEARTBEAT_MS = 15_000;
    /** The most pages that watch at once; one more is answered 503. */
    static final int MAX_PAGES = 100;
    /** The most task runs of a stream one event carries, after the first. */
    static final int STREAM_STEP = 500;

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private final Pages pages;
    private final ScheduledExecutorService poller;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ticked = lock.newCondition();
    /** The views pages watch. Guarded by {@link #lock}, as are the fields below. */
    private final Map<View.Key, View> views = new HashMap<>();
    /** How many pages watch each view: a view no page watches is dropped, and no longer read. */
    private final Map<View.Key, Integer> watchers = new HashMap<>();

    private long generation;
    private int open;
    private boolean closed;

    Events(Pages pages) {
        this.pages = pages;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-dashboard-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        List<View> watched;
        lock.lock();
        try {
            watched = List.copyOf(views.values());
        } finally {
            lock.unlock();
        }
        long now = System.currentTimeMillis();
        for (View view : watched) {
            try {
                view.refresh(pages, now);
            } catch (RuntimeException e) { // a bug, not the store (that is Unavailable): keep the others going
                LOG.warn("The Weft dashboard could not compute {}", view.key(), e);
            }
        }
        lock.lock();
        try {
            generation++;
            ticked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Serves one page its events until it goes away or the dashboard closes. Blocks.
     *
     * @param exchange the request
     * @param key what the page watches
     * @throws IOException if the page cannot be answered
     */
    void serve(HttpExchange exchange, View.Key key) throws IOException {
        View view;
        lock.lock();
        try {
            if (closed || open >= MAX_PAGES) {
                Http.error(exchange, 503, closed ? "The dashboard is closing" : "Too many pages are open at once");
                return;
            }
            open++;
            view = views.computeIfAbsent(key, View::new);
            watchers.merge(key, 1, Integer::sum);
        } finally {
            lock.unlock();
        }
        try {
            stream(exchange, view);
        } catch (IOException e) {
            // the page went away
        } finally {
            lock.lock();
            try {
                open--;
                if (watchers.merge(key, -1, Integer::sum) == 0) {
                    watchers.remove(key);
                    views.remove(key);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private void stream(HttpExchange exchange, View view) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        write(out, "retry: 2000\n\n");
        Page page = new Page(view);
        long seen = -1;
        long lastEventMs = 0; // the last event, for the rate
        long lastWriteMs = System.currentTimeMillis(); // the last bytes of any kind, for the heartbeat
        while (true) {
            long tick = awaitTick(seen);
            if (tick < 0) {
                return; // closed
            }
            if (tick != seen) {
                seen = tick;
                long waitMs = lastEventMs + TICK_MS - System.currentTimeMillis();
                if (waitMs > 0) {
                    try {
                        Thread.sleep(waitMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                String update = page.update();
                if (update != null) {
                    write(out, "event: update\ndata: " + update + "\n\n");
                    lastEventMs = lastWriteMs = System.currentTimeMillis();
                }
            }
            if (System.currentTimeMillis() - lastWriteMs >= HEARTBEAT_MS) {
                // a comment, which the page ignores: writing is how a page that went away is found
                write(out, ": still here\n\n");
                lastWriteMs = System.currentTimeMillis();
            }
        }
    }

    /** Waits for the next tick after {@code seen}, or the heartbeat; returns the generation, or -1 if closed. */
    private long awaitTick(long seen) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MS);
            while (!closed && generation == seen && nanos > 0) {
                nanos = ticked.awaitNanos(nanos);
            }
            return closed ? -1 : generation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            lock.unlock();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** What one page was sent of its view. Used by the page's thread only. */
    private static final class Page {
        private final View view;
        private final Map<String, String> sent = new HashMap<>();
        private long lastBar;
        private boolean first = true;

        Page(View view) {
            this.view = view;
        }

        /** Returns the event that brings the page up to date, as JSON, or null if nothing changed. */
        String update() {
            Map<String, String> sections = view.sections();
            if (sections.isEmpty()) {
                return null; // not read yet
            }
            Json j = new Json().beginObject();
            boolean any = false;
            for (Map.Entry<String, String> s : sections.entrySet()) {
                if (!s.getValue().equals(sent.get(s.getKey()))) {
                    j.name(s.getKey()).raw(s.getValue());
                    sent.put(s.getKey(), s.getValue());
                    any = true;
                }
            }
            TaskStream stream = view.stream();
            if (stream != null) {
                boolean reset = first || stream.clearedSince(lastBar);
                if (reset || stream.last() > lastBar) {
                    j.name("stream").beginObject().member("reset", reset).name("bars");
                    lastBar = stream.writeSince(j, reset ? 0 : lastBar, reset ? Pages.STREAM_MAX : STREAM_STEP);
                    j.endObject();
                    any = true;
                }
            }
            first = false;
            return any ? j.endObject().toString() : null;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            ticked.signalAll();
        } finally {
            lock.unlock();
        }
        poller.shutdownNow();
    }
}
