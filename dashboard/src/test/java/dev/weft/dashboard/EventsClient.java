package dev.weft.dashboard;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Reads the server-sent events of one page, on a thread of its own, as a browser's EventSource does, and
 * keeps each event with when it arrived.
 */
final class EventsClient implements AutoCloseable {
    /**
     * One event.
     *
     * @param atNanos when it arrived, by {@link System#nanoTime()}
     * @param name its name
     * @param data its data, as sent
     */
    record Event(long atNanos, String name, String data) {
        Map<String, Object> json() {
            return JsonReader.object(data);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile Throwable failure;

    EventsClient(HttpClient http, URI uri) throws Exception {
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(uri)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("events answered " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes()));
        }
        body = response.body();
        reader = Thread.ofPlatform().daemon().name("events-client").start(this::read);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = "message";
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(System.nanoTime(), name, data.toString()));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).stripLeading());
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    List<Event> events() {
        return new ArrayList<>(events);
    }

    /** Waits for an event that matches, and returns it. */
    Event await(Predicate<Event> match, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            for (Event e : events) {
                if (match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such event within " + patience + (failure == null ? "" : "; " + failure)
                + "; got " + events.size() + ": "
                + events.stream().map(e -> cutShort(e.data())).toList());
    }

    private static String cutShort(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    @Override
    public void close() throws java.io.IOException {
        InputStream in = body;
        if (in != null) {
            in.close();
        }
        reader.interrupt();
    }
}
