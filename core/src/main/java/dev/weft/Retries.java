package dev.weft;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * How a task retries a failed try: how many more tries, how long to wait before each, and which failures
 * deserve one. Prefect's {@code retries}, {@code retry_delay_seconds} (a number, a list, or {@code
 * exponential_backoff}), {@code retry_jitter_factor} and {@code retry_condition_fn}.
 *
 * {@snippet :
 * Task1<String, String> fetch = Task.of("fetch", Http::get)
 *         .withRetries(Retries.of(3)
 *                 .exponentialBackoff(Duration.ofSeconds(1)) // 1 s, 2 s, 4 s
 *                 .jitter(0.5) // each delay grows by up to half
 *                 .when(e -> e instanceof IOException)); // only retry what may pass next time
 * }
 *
 * <p>Between tries a run is {@code AWAITING_RETRY}: it holds no thread, no resources and no slots. A
 * timed-out try is a failed try like any other. Errors of the JVM itself ({@link VirtualMachineError},
 * {@link LinkageError}) crash the run and are never retried. Instances are immutable.
 */
public final class Retries {
    /** No retries: the default. */
    public static final Retries NONE = new Retries(0, List.of(Duration.ZERO), null, 0, e -> true);

    private final int retries;
    private final List<Duration> delays;
    private final Duration backoff;
    private final double jitter;
    private final Predicate<? super Throwable> condition;

    private Retries(
            int retries,
            List<Duration> delays,
            Duration backoff,
            double jitter,
            Predicate<? super Throwable> condition) {
        this.retries = retries;
        this.delays = delays;
        this.backoff = backoff;
        this.jitter = jitter;
        this.condition = condition;
    }

    /**
     * Retries a failed try up to {@code retries} times, at once.
     *
     * @param retries 0 or more
     * @return the policy
     * @throws IllegalArgumentException if negative
     */
    public static Retries of(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("The number of retries must be 0 or more, not " + retries);
        }
        return new Retries(retries, List.of(Duration.ZERO), null, 0, e -> true);
    }

    /**
     * Returns this policy waiting the same delay before every retry.
     *
     * @param delay the delay, zero or more
     * @return the policy
     */
    public Retries delay(Duration delay) {
        return delays(delay);
    }

    /**
     * Returns this policy waiting {@code delays[i]} before retry {@code i + 1}; retries beyond the list
     * wait its last delay (Prefect's {@code retry_delay_seconds=[1, 10, 100]}).
     *
     * @param delays one or more delays, each zero or more
     * @return the policy
     */
    public Retries delays(Duration... delays) {
        if (delays.length == 0) {
            throw new IllegalArgumentException("Give at least one retry delay");
        }
        for (Duration d : delays) {
            checkDelay(d);
        }
        return new Retries(retries, List.of(delays), null, jitter, condition);
    }

    /**
     * Returns this policy waiting {@code base}, then twice that, then four times, and so on (Prefect's
     * {@code exponential_backoff(backoff_factor)}).
     *
     * @param base the first delay, more than zero
     * @return the policy
     */
    public Retries exponentialBackoff(Duration base) {
        checkDelay(base);
        if (base.isZero()) {
            throw new IllegalArgumentException("The base of an exponential backoff must be more than zero");
        }
        return new Retries(retries, List.of(base), base, jitter, condition);
    }

    /**
     * Returns this policy adding to each delay a random part of up to {@code factor} times it, so that
     * runs that failed together do not all retry at the same instant (Prefect's {@code
     * retry_jitter_factor}).
     *
     * @param factor 0 or more; 0.5 adds up to half of each delay
     * @return the policy
     */
    public Retries jitter(double factor) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("A jitter factor must be 0 or more, not " + factor);
        }
        return new Retries(retries, delays, backoff, factor, condition);
    }

    /**
     * Returns this policy retrying only failures that {@code condition} accepts (Prefect's {@code
     * retry_condition_fn}); the others end the run at once.
     *
     * @param condition given the try's exception (a {@link java.util.concurrent.TimeoutException} for a
     *     timed-out try)
     * @return the policy
     */
    public Retries when(Predicate<? super Throwable> condition) {
        return new Retries(retries, delays, backoff, jitter, Objects.requireNonNull(condition, "condition"));
    }

    /**
     * Returns the number of retries.
     *
     * @return 0 or more
     */
    public int retries() {
        return retries;
    }

    /**
     * Returns whether a failed try deserves a retry, by the condition alone.
     *
     * @param failure the try's exception
     * @return whether to retry it
     */
    public boolean accepts(Throwable failure) {
        return condition.test(failure);
    }

    /**
     * Returns the delay before a retry, without jitter.
     *
     * @param retry 1 for the first retry
     * @return the delay
     */
    public Duration baseDelay(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("Retries count from 1, not " + retry);
        }
        if (backoff != null) {
            int doublings = Math.min(retry - 1, 62);
            long nanos = backoff.toNanos();
            return nanos > (Long.MAX_VALUE >> doublings)
                    ? Duration.ofNanos(Long.MAX_VALUE)
                    : Duration.ofNanos(nanos << doublings);
        }
        return delays.get(Math.min(retry - 1, delays.size() - 1));
    }

    /**
     * Returns the delay before a retry, jitter included.
     *
     * @param retry 1 for the first retry
     * @return the delay
     */
    public Duration delayBefore(int retry) {
        Duration base = baseDelay(retry);
        if (jitter == 0 || base.isZero()) {
            return base;
        }
        double extra = ThreadLocalRandom.current().nextDouble() * jitter * base.toNanos();
        return base.plusNanos((long) Math.min(extra, Long.MAX_VALUE - base.toNanos()));
    }

    private static void checkDelay(Duration d) {
        Objects.requireNonNull(d, "delay");
        if (d.isNegative()) {
            throw new IllegalArgumentException("A retry delay must be zero or more, not " + d);
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Retries[").append(retries);
        if (backoff != null) {
            s.append(", exponential backoff from ").append(backoff);
        } else if (!(delays.size() == 1 && delays.get(0).isZero())) {
            s.append(", delays ").append(delays);
        }
        if (jitter != 0) {
            s.append(", jitter ").append(jitter);
        }
        return s.append(']').toString();
    }
}
