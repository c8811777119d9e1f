package dev.weft;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Weft's settings for what outlives one process: where its home is, which database holds the concurrency
 * limits, how often a queued run retries for a slot and how long a slot's lease lasts.
 *
 * <p>{@link #load()} reads each from a system property, then an environment variable, then its default:
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>setting</th><th>system property</th><th>environment variable</th><th>default</th></tr>
 * <tr><td>home</td><td>{@code weft.home}</td><td>{@code WEFT_HOME}</td><td>{@code ~/.weft}</td></tr>
 * <tr><td>database URL</td><td>{@code weft.database.url}</td><td>{@code WEFT_DATABASE_URL}</td>
 *     <td>none: a SQLite file {@code weft.db} in the home</td></tr>
 * <tr><td>slot wait</td><td>{@code weft.slot.wait}</td><td>{@code WEFT_SLOT_WAIT}</td><td>the store's: 30 s,
 *     1 s for a SQLite file</td></tr>
 * <tr><td>slot lease</td><td>{@code weft.slot.lease}</td><td>{@code WEFT_SLOT_LEASE}</td><td>30 s</td></tr>
 * </table>
 *
 * <p>Durations are written {@code 30s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT30S}).
 *
 * @param home the directory that holds Weft's files
 * @param databaseUrl a JDBC URL for the store, or empty for the SQLite file in the home
 * @param slotWait how often a queued run retries for slots that runs in other processes hold, or empty for
 *     the store's default ({@link dev.weft.spi.SlotStore#defaultSlotWait()})
 * @param slotLease how long a slot stays taken without its holder renewing it
 */
public record Settings(Path home, Optional<String> databaseUrl, Optional<Duration> slotWait, Duration slotLease) {
    /** The default slot wait of a store on a server, as the seed's Prefect has it. */
    public static final Duration DEFAULT_SLOT_WAIT = Duration.ofSeconds(30);

    /** The default slot lease. */
    public static final Duration DEFAULT_SLOT_LEASE = Duration.ofSeconds(30);

    /**
     * Validates the parts.
     *
     * @param home the home directory
     * @param databaseUrl the database URL, or empty
     * @param slotWait the slot wait, more than zero, or empty for the store's default
     * @param slotLease the slot lease, more than zero
     */
    public Settings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(slotWait, "slotWait");
        slotWait.ifPresent(wait -> positive("slot wait", wait));
        positive("slot lease", slotLease);
    }

    /**
     * Returns the settings of this process: system properties, then environment variables, then defaults.
     *
     * @return the settings
     * @throws IllegalArgumentException naming a setting whose value is invalid
     */
    public static Settings load() {
        return load(System.getenv());
    }

    static Settings load(Map<String, String> env) {
        String home = read("weft.home", "WEFT_HOME", env);
        String url = read("weft.database.url", "WEFT_DATABASE_URL", env);
        String wait = read("weft.slot.wait", "WEFT_SLOT_WAIT", env);
        String lease = read("weft.slot.lease", "WEFT_SLOT_LEASE", env);
        return new Settings(
                home != null ? Path.of(home) : Path.of(System.getProperty("user.home"), ".weft"),
                Optional.ofNullable(url),
                Optional.ofNullable(wait).map(w -> duration("weft.slot.wait / WEFT_SLOT_WAIT", w)),
                lease != null ? duration("weft.slot.lease / WEFT_SLOT_LEASE", lease) : DEFAULT_SLOT_LEASE);
    }

    /**
     * Returns these settings with another home.
     *
     * @param newHome the home directory
     * @return the settings
     */
    public Settings withHome(Path newHome) {
        return new Settings(newHome, databaseUrl, slotWait, slotLease);
    }

    /**
     * Returns these settings with a database URL.
     *
     * @param url a JDBC URL, such as {@code jdbc:postgresql://db.example.org/weft}
     * @return the settings
     */
    public Settings withDatabaseUrl(String url) {
        return new Settings(home, Optional.of(url), slotWait, slotLease);
    }

    /**
     * Returns these settings with another slot wait.
     *
     * @param wait the slot wait
     * @return the settings
     */
    public Settings withSlotWait(Duration wait) {
        return new Settings(home, databaseUrl, Optional.of(wait), slotLease);
    }

    /**
     * Returns these settings with another slot lease.
     *
     * @param lease the slot lease
     * @return the settings
     */
    public Settings withSlotLease(Duration lease) {
        return new Settings(home, databaseUrl, slotWait, lease);
    }

    private static String read(String property, String variable, Map<String, String> env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Parses a duration: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601.
     *
     * @param setting the setting's name, for the error
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException naming the setting
     */
    public static Duration duration(String setting, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.startsWith("pt") || t.startsWith("p")) {
                d = Duration.parse(text.strip());
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(
                        Long.parseLong(t.substring(0, t.length() - 2).strip()));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(
                        Double.parseDouble(t.substring(0, t.length() - 1).strip()) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofSeconds(
                        Long.parseLong(t.substring(0, t.length() - 1).strip()) * 60);
            } else if (t.endsWith("h")) {
                d = Duration.ofHours(
                        Long.parseLong(t.substring(0, t.length() - 1).strip()));
            } else {
                throw new IllegalArgumentException("no unit");
            }
            positive(setting, d);
            return d;
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(badDuration(setting, text), e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("The setting")) {
                throw e;
            }
            throw new IllegalArgumentException(badDuration(setting, text), e);
        }
    }

    private static String badDuration(String setting, String text) {
        return "The setting " + setting + " must be a duration such as 30s, 500ms or 2m, not '" + text + "'";
    }

    private static void positive(String setting, Duration d) {
        Objects.requireNonNull(d, setting);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("The setting " + setting + " must be more than zero, not " + d);
        }
    }
}
