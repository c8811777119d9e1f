package dev.weft.cli;

import dev.weft.StateType;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How {@code weft runs} writes times, durations, states and tables for people, and reads states and ages. */
final class RunsFormat {
    private static final Pattern DAYS = Pattern.compile("(\\d+)\\s*d");

    private RunsFormat() {}

    /** An instant in UTC to the second, as {@code weft concurrency-limit read} writes it; {@code -} for none. */
    static String time(Instant instant) {
        return instant == null ? "-" : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * A duration, short: {@code 840ms}, {@code 12.3s}, {@code 4m 05s}, {@code 2h 07m}, {@code 3d 04h}; {@code
     * -} for none.
     */
    static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long ms = Math.max(0, d.toMillis());
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** A state as Prefect names it: {@code Completed}, {@code AwaitingRetry}. */
    static String state(StateType type) {
        return type.displayName();
    }

    /** Counts by state, in the states' order: {@code 12 Completed, 1 Failed}; {@code -} for none. */
    static String counts(Map<StateType, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (StateType type : StateType.values()) {
            Long n = counts.get(type);
            if (n != null && n > 0) {
                parts.add(n + " " + state(type));
            }
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    /**
     * Reads a state's name, in any case, as Weft ({@code AWAITING_RETRY}) or Prefect ({@code AwaitingRetry})
     * writes it.
     *
     * @throws IllegalArgumentException naming the states, for an unknown one
     */
    static StateType parseState(String text) {
        String wanted = text.strip().replace("_", "").replace("-", "");
        for (StateType type : StateType.values()) {
            if (type.displayName().equalsIgnoreCase(wanted)) {
                return type;
            }
        }
        List<String> names = new ArrayList<>();
        for (StateType type : StateType.values()) {
            names.add(type.name().toLowerCase(Locale.ROOT)); // awaiting_retry, as the states are written
        }
        throw new IllegalArgumentException(
                "Unknown state '" + text + "': one of " + String.join(", ", names) + " (in any case)");
    }

    /**
     * Reads an age: {@code 7d}, {@code 12h}, {@code 30m}, {@code 45s} or ISO-8601 ({@code P7D}).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static Duration parseAge(String option, String text) {
        Matcher days = DAYS.matcher(text.strip().toLowerCase(Locale.ROOT));
        try {
            Duration age = days.matches()
                    ? Duration.ofDays(Long.parseLong(days.group(1)))
                    : dev.weft.Settings.duration(option, text);
            if (!age.isZero()) {
                return age;
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            // said below, as any other bad value (NumberFormatException is an IllegalArgumentException)
        }
        throw new IllegalArgumentException(
                option + " must be an age of more than zero such as 7d, 12h or 30m, not '" + text + "'");
    }

    /**
     * Prints rows in columns under their headers, two spaces apart, without trailing spaces; the columns
     * {@code right} names are right-aligned.
     */
    static void table(PrintWriter out, List<String[]> rows, int... right) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                boolean alignRight = false;
                for (int r : right) {
                    alignRight |= r == i;
                }
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(alignRight ? pad + row[i] : row[i] + pad);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
