package dev.weft.examples.reliability;

import dev.weft.Flow;
import dev.weft.Retries;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task2;
import dev.weft.TaskFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retries with exponential backoff, and a condition on which failures deserve one. The server drops the
 * first two requests for each file with an {@link IOException}; the download retries up to 3 times, 100
 * ms then 200 ms after a failed try, and gets the file on its third try. Between tries the run is {@code
 * AWAITING_RETRY}, logged at WARN, and holds no thread. A request for a relative path fails with an {@link
 * IllegalArgumentException}, which a retry would only repeat: the policy retries {@code IOException}s
 * alone, so that run fails at once, and the flow run ends {@code Failed}. The example prints both runs'
 * states and the flow run's, calling the flow with {@link Flow#callForState()}, which returns the final
 * state where {@link Flow#call()} would throw.
 */
public final class FlakyDownload {
    private FlakyDownload() {}

    /**
     * A file server on a bad line: it drops the first two requests for each file. The example makes one
     * for each flow run, so that every run sees the same failures.
     */
    static final class Server {
        /** How many failing requests each file gets before one succeeds. */
        static final int DROPPED = 2;

        private final Map<String, String> files;
        private final Map<String, Integer> requests = new ConcurrentHashMap<>();

        Server(Map<String, String> files) {
            this.files = Map.copyOf(files);
        }

        /**
         * Returns a file's content, or fails as the line does.
         *
         * @param path the file's absolute path, such as {@code /report.csv}
         * @return the content
         * @throws IOException for the first {@link #DROPPED} requests of a file
         * @throws IllegalArgumentException for a relative path or an unknown file
         */
        String get(String path) throws IOException {
            int request = requests.merge(path, 1, Integer::sum);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a path must be absolute, not " + path);
            }
            String content = files.get(path);
            if (content == null) {
                throw new IllegalArgumentException("no file " + path);
            }
            if (request <= DROPPED) {
                throw new IOException("connection reset");
            }
            System.out.println(path + ": try " + request + " succeeded");
            return content;
        }
    }

    // snippet:retries
    static final Task2<Server, String, String> download = Task.of(
                    "download", (Server server, String path) -> server.get(path))
            .withRetries(Retries.of(3) // up to 4 tries in all
                    .exponentialBackoff(Duration.ofMillis(100)) // 100 ms, 200 ms, 400 ms
                    .when(e -> e instanceof IOException)); // a bad request would fail again: no retry

    static final Flow<Void> downloads = Flow.of("downloads", () -> {
        Server server = new Server(Map.of("/report.csv", "day,sales\nmon,12\ntue,15\n"));
        TaskFuture<String> report = download.submit(server, "/report.csv"); // fails twice, then succeeds
        TaskFuture<String> typo = download.submit(server, "report.csv"); // fails once, for good
        System.out.println("/report.csv: " + report.await());
        System.out.println("report.csv: " + typo.await());
    });

    /**
     * Runs the flow and prints its final state.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        State<Void> state = downloads.callForState();
        System.out.println("downloads: " + state);
    }
    // end-snippet:retries
}
