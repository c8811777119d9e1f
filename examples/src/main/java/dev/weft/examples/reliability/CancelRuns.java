package dev.weft.examples.reliability;

import dev.weft.Flow;
import dev.weft.FlowRunFuture;
import dev.weft.State;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Cancelling task runs and a flow run. The flow {@code report} downloads a file, parses it and publishes
 * the rows; the download takes long. Its body cancels {@code parse}, which is still waiting for the
 * download: it ends {@code Cancelled} without starting, and {@code publish}, which waits for it, never
 * starts either. Then it cancels the download, which is running: its thread is interrupted. The flow run
 * ends {@code Cancelled}.
 *
 * <p>Then {@code nightly-sync} is started with {@link Flow#start()}, which returns at once, and cancelled
 * through the {@link FlowRunFuture} while its download runs: that run is interrupted, and the flow run
 * ends {@code Cancelled}.
 */
public final class CancelRuns {
    private CancelRuns() {}

    /**
     * A slow line: a download over it takes a minute, unless interrupted. It says when a download has
     * started, so that the example cancels a run it knows to be running.
     */
    static final class SlowLine {
        /** How long a download takes. */
        static final Duration DOWNLOAD = Duration.ofMinutes(1);

        final CountDownLatch started = new CountDownLatch(1);

        /**
         * Downloads a file.
         *
         * @param url the file
         * @return its content
         * @throws InterruptedException if interrupted while downloading
         */
        String fetch(String url) throws InterruptedException {
            System.out.println("downloading " + url + "...");
            started.countDown();
            try {
                Thread.sleep(DOWNLOAD);
            } catch (InterruptedException e) {
                System.out.println("the download of " + url + " was interrupted");
                throw e;
            }
            return "day,sales\nmon,12\n";
        }
    }

    // snippet:cancel-runs
    static final Task1<SlowLine, String> download =
            Task.of("download", (SlowLine line) -> line.fetch("https://example.com/sales.csv"));

    static final Task1<String, Integer> parse = Task.of("parse", (String csv) -> csv.split("\n").length - 1);

    static final Task1<Integer, Void> publish = Task.of("publish", (Integer rows) -> {
        System.out.println("published " + rows + " rows"); // never printed: its upstream is cancelled
    });

    static final Flow<Void> report = Flow.of("report", () -> {
        SlowLine line = new SlowLine();
        TaskFuture<String> file = download.submit(line);
        TaskFuture<Integer> rows = parse.submit(file);
        TaskFuture<Void> published = publish.submit(rows);

        rows.cancel(); // waits for the download: it never starts, nor does publish
        line.started.await();
        file.cancel(); // running: its thread is interrupted

        System.out.println("parse: " + rows.await());
        System.out.println("publish: " + published.await());
        System.out.println("download: " + file.await());
    });
    // end-snippet:cancel-runs

    // snippet:cancel-flow-run
    /** A flow that downloads over {@code line}: started, it runs until cancelled. */
    static Flow<Void> nightlySync(SlowLine line) {
        return Flow.of("nightly-sync", () -> {
            download.submit(line);
        });
    }

    /**
     * Runs {@code report}, then starts {@code nightly-sync} and cancels it while its download runs.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the download to start
     */
    public static void main(String[] args) throws InterruptedException {
        System.out.println("report: " + report.callForState());

        SlowLine line = new SlowLine();
        FlowRunFuture<Void> sync = nightlySync(line).start(); // returns at once
        line.started.await();
        sync.cancel(); // cancels its runs, interrupting the download
        State<Void> state = sync.await();
        System.out.println("nightly-sync: " + state);
    }
    // end-snippet:cancel-flow-run
}
