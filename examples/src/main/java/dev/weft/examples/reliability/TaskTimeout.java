package dev.weft.examples.reliability;

import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.TaskFuture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A time limit on each try of a task. The quote service hangs on its first request; the task gives each
 * try 200 ms, so the first try ends {@code FAILED} with a {@link java.util.concurrent.TimeoutException}
 * and its thread is interrupted, which ends the hanging call. The task retries once, and the second try
 * gets its answer at once: the run ends {@code Completed}. The log shows the timed-out try as the reason
 * the run is {@code AWAITING_RETRY}.
 */
public final class TaskTimeout {
    private TaskTimeout() {}

    /**
     * A quote service whose first request hangs for a minute, unless interrupted; later ones answer at
     * once. The example makes one for each flow run, so that every run sees the same hang.
     */
    static final class QuoteService {
        /** How long the first request hangs. */
        static final Duration HANG = Duration.ofMinutes(1);

        private final AtomicInteger requests = new AtomicInteger();

        /**
         * Returns the current quote.
         *
         * @return the quote
         * @throws InterruptedException if interrupted while the request hangs
         */
        String quote() throws InterruptedException {
            int request = requests.incrementAndGet();
            if (request == 1) {
                System.out.println("request 1 hangs...");
                try {
                    Thread.sleep(HANG);
                } catch (InterruptedException e) {
                    System.out.println("request 1 was interrupted");
                    throw e;
                }
            }
            System.out.println("request " + request + " answered");
            return "EUR/USD 1.08";
        }
    }

    // snippet:task-timeout
    static final Task1<QuoteService, String> fetchQuote = Task.of(
                    "fetch_quote", (QuoteService service) -> service.quote())
            .withTimeout(Duration.ofMillis(200)) // each try: at most 200 ms, then it is interrupted
            .withRetries(1); // a timed-out try is a failed try: one more

    static final Flow<String> quotes = Flow.of("quotes", () -> {
        TaskFuture<String> quote = fetchQuote.submit(new QuoteService());
        System.out.println("fetch_quote: " + quote.await());
        return quote.result();
    });
    // end-snippet:task-timeout

    /**
     * Runs the flow and prints its value.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("quote: " + quotes.call());
    }
}
