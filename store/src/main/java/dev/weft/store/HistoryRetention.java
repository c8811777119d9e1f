package dev.weft.store;

import dev.weft.Settings;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the run history keeps flow runs that ended, and how many flow runs it keeps at most; read from
 * {@value #MAX_AGE_PROPERTY} ({@code WEFT_HISTORY_MAX_AGE}) and {@value #MAX_RUNS_PROPERTY} ({@code
 * WEFT_HISTORY_MAX_RUNS}), system property first.
 *
 * @param maxAge flow runs that ended longer ago than this go, with their task runs
 * @param maxRuns past this many flow runs (subflow runs and those still running included), the oldest that
 *     ended go
 */
record HistoryRetention(Duration maxAge, int maxRuns) {
    /** The system property for the most age. */
    static final String MAX_AGE_PROPERTY = "weft.history.max-age";

    /** The system property for the most flow runs. */
    static final String MAX_RUNS_PROPERTY = "weft.history.max-runs";

    /** How long flow runs are kept unless told otherwise. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofDays(30);

    /** How many flow runs are kept unless told otherwise. */
    static final int DEFAULT_MAX_RUNS = 10_000;

    private static final Pattern DAYS = Pattern.compile("(\\d+)\\s*d");

    HistoryRetention {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("The history's max age must be more than zero, not " + maxAge);
        }
        if (maxRuns < 1) {
            throw new IllegalArgumentException("The history's max runs must be at least 1, not " + maxRuns);
        }
    }

    /**
     * Reads the retention of this process: system properties, then environment variables, then defaults.
     *
     * @throws IllegalArgumentException naming a setting whose value is invalid
     */
    static HistoryRetention load() {
        return load(System.getenv());
    }

    static HistoryRetention load(Map<String, String> env) {
        String age = read(MAX_AGE_PROPERTY, "WEFT_HISTORY_MAX_AGE", env);
        String runs = read(MAX_RUNS_PROPERTY, "WEFT_HISTORY_MAX_RUNS", env);
        return new HistoryRetention(
                age == null ? DEFAULT_MAX_AGE : duration(MAX_AGE_PROPERTY + " / WEFT_HISTORY_MAX_AGE", age),
                runs == null ? DEFAULT_MAX_RUNS : count(MAX_RUNS_PROPERTY + " / WEFT_HISTORY_MAX_RUNS", runs));
    }

    /**
     * Parses a duration as {@link Settings#duration} does, and in days too: {@code 30d}.
     *
     * @throws IllegalArgumentException naming the setting
     */
    static Duration duration(String setting, String text) {
        Matcher days = DAYS.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (days.matches()) {
            try {
                long n = Long.parseLong(days.group(1));
                if (n > 0) {
                    return Duration.ofDays(n);
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // too many days: said below, as any other bad value
            }
            throw new IllegalArgumentException(badDuration(setting, text));
        }
        try {
            return Settings.duration(setting, text);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains(" must be a duration such as ")) {
                throw new IllegalArgumentException(badDuration(setting, text), e); // one that names days too
            }
            throw e;
        }
    }

    private static String badDuration(String setting, String text) {
        return "The setting " + setting + " must be a duration such as 30d, 12h or 90m, not '" + text + "'";
    }

    private static int count(String setting, String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(
                "The setting " + setting + " must be a whole number of flow runs, 1 or more, not '" + text + "'");
    }

    private static String read(String property, String variable, Map<String, String> env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
