package dev.weft.internal;

import dev.weft.Resources;
import dev.weft.State;
import dev.weft.StateType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** What a live task run's state says: what it waits for, in one line. */
final class RunMessages {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private RunMessages() {}

    /** A try after the first one runs. */
    static <T> State<T> retrying() {
        return State.of(StateType.RUNNING, "Retrying", null, null, null);
    }

    /** PENDING: waiting for its inputs, or for a worker of its runner with its resources free. */
    static <T> State<T> pending(int inputs, String runner, Resources resources) {
        return State.of(
                StateType.PENDING,
                inputs > 0
                        ? "Waiting for " + inputs + " upstream run" + (inputs == 1 ? "" : "s")
                        : "Waiting for task runner `" + runner + "` to start it"
                                + (resources.isEmpty() ? "" : " on a worker with " + resources + " free"));
    }

    /** QUEUED: waiting for a slot on a full tag. */
    static <T> State<T> queued(String tag, int limit) {
        return State.of(
                StateType.QUEUED,
                "Waiting for a concurrency slot on tag '" + tag + "': all " + limit + " slot"
                        + (limit == 1 ? " is" : "s are") + " taken");
    }

    /** AWAITING_RETRY: which try failed, with what, and when the next starts. */
    static <T> State<T> awaitingRetry(RunTries t) {
        Instant next = t.nextTry;
        Duration delay = t.retryDelay;
        int failed = t.counted();
        int of = t.retries.retries() + 1;
        String at = next == null
                ? ""
                : "; try " + (failed + 1) + " of " + of + " starts at "
                        + CLOCK.format(LocalTime.ofInstant(next, ZoneId.systemDefault()))
                        + (delay == null ? "" : ", in " + describe(delay));
        Throwable why = t.lastFailure;
        return State.of(
                StateType.AWAITING_RETRY,
                "AwaitingRetry",
                "Try " + failed + " of " + of + " failed" + (why == null ? "" : " with " + why) + at,
                null,
                why);
    }

    /** Writes a duration in seconds, as Prefect's timeouts read: {@code 0.1 seconds}, {@code 30 seconds}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + " seconds";
    }

    /** Writes a duration as people do: {@code 1.5s}, {@code 250ms}, {@code 2m}. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return (ms / 60_000) + "m";
        }
        return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0)) + "s";
    }
}
