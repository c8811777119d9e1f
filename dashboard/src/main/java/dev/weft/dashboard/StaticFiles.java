package dev.weft.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page itself: one HTML file, its script and its style sheet, served from the jar's resources, read
 * once. Nothing comes from elsewhere, and the page's policy lets it load nothing from elsewhere.
 *
 * <p>Immutable; thread-safe.
 */
final class StaticFiles {
    private static final String POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private record File(String type, byte[] body) {}

    private final Map<String, File> files;

    StaticFiles() {
        files = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/index.html", load("index.html", "text/html; charset=utf-8"),
                "/app.js", load("app.js", "text/javascript; charset=utf-8"),
                "/style.css", load("style.css", "text/css; charset=utf-8"),
                "/favicon.svg", load("favicon.svg", "image/svg+xml"));
    }

    private static File load(String name, String type) {
        try (InputStream in = StaticFiles.class.getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's jar has no " + name);
            }
            return new File(type, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves a file, or 404. */
    void serve(HttpExchange exchange, String path) throws IOException {
        File file = files.get(path);
        if (file == null) {
            Http.send(
                    exchange,
                    404,
                    "text/plain; charset=utf-8",
                    ("Not found: " + path).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        Http.send(exchange, 200, file.type(), file.body());
    }
}
