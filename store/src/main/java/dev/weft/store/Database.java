package dev.weft.store;

import dev.weft.Settings;
import dev.weft.spi.StoreException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The database that settings name: which dialect, the URL to connect with, and for SQLite the file.
 *
 * @param dialect the database's dialect
 * @param url the JDBC URL, with any password: for connecting only, never for messages
 * @param file the SQLite file, or null for PostgreSQL
 * @param noun what the database holds for the one who opened it, for messages: {@value #LIMITS} or {@value
 *     #HISTORY}
 */
record Database(Dialect dialect, String url, Path file, String noun) {
    /** The file name of the default SQLite database, in Weft's home. */
    static final String DEFAULT_FILE_NAME = "weft.db";

    /** How messages call the database when it holds concurrency limits. */
    static final String LIMITS = "concurrency-limit database";

    /** How messages call the database when it holds the run history. */
    static final String HISTORY = "run-history database";

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    // password=..., sslpassword=... among the parameters; user:password@ in the authority
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;][a-z]*password=)[^&;]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@:]*:)[^/?#@]*@");

    /**
     * Reads the database of the concurrency limits from the settings, as {@link #of(Settings, String)} does.
     *
     * @throws StoreException for a URL that names neither PostgreSQL nor SQLite, or an in-memory SQLite one
     */
    static Database of(Settings settings) {
        return of(settings, LIMITS);
    }

    /**
     * Reads the database from the settings: their URL, else the SQLite file {@code weft.db} in the home.
     * The same settings name the same database, whatever it is opened for.
     *
     * @param noun what it is opened for, for messages: {@link #LIMITS} or {@link #HISTORY}
     * @throws StoreException for a URL that names neither PostgreSQL nor SQLite, or an in-memory SQLite one
     */
    static Database of(Settings settings, String noun) {
        if (settings.databaseUrl().isEmpty()) {
            Path file = settings.home().resolve(DEFAULT_FILE_NAME).toAbsolutePath();
            return new Database(Dialect.SQLITE, SQLITE_PREFIX + file, file, noun);
        }
        String url = settings.databaseUrl().get().strip();
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith(POSTGRESQL_PREFIX)) {
            if (USER_INFO.matcher(url).find()) { // the driver would take user:password@host for a host name
                throw new StoreException(
                        "The PostgreSQL URL " + redact(url) + " names its user before the host, which the driver"
                                + " does not read: write jdbc:postgresql://host:port/database?user=name&password=...",
                        null);
            }
            return new Database(Dialect.POSTGRESQL, url, null, noun);
        }
        if (lower.startsWith(SQLITE_PREFIX)) {
            return new Database(Dialect.SQLITE, url, sqliteFile(url, noun), noun);
        }
        throw new StoreException(
                "Unsupported " + noun + " URL " + redact(url)
                        + ": Weft keeps limits in PostgreSQL (jdbc:postgresql://host/database) or in a SQLite"
                        + " file (jdbc:sqlite:/path/weft.db)",
                null);
    }

    private static Path sqliteFile(String url, String noun) {
        String rest = url.substring(SQLITE_PREFIX.length());
        int query = rest.indexOf('?');
        String options = query < 0 ? "" : rest.substring(query + 1).toLowerCase(Locale.ROOT);
        String name = query < 0 ? rest : rest.substring(0, query);
        if (name.regionMatches(true, 0, "file:", 0, 5)) {
            name = name.substring(5);
            if (name.startsWith("///")) {
                name = name.substring(2); // file:///tmp/weft.db, an empty authority
            }
        }
        if (name.isBlank() || name.equals(":memory:") || options.contains("mode=memory")) {
            throw new StoreException(
                    "The " + noun + " " + redact(url)
                            + " is an in-memory SQLite database, which every connection sees empty: name a file"
                            + " instead, such as jdbc:sqlite:/path/weft.db",
                    null);
        }
        return Path.of(name).toAbsolutePath();
    }

    /**
     * Returns the URL without passwords, for messages and logs.
     *
     * @return the URL, each password replaced by {@code ***}
     */
    String safeUrl() {
        return redact(url);
    }

    /**
     * Says where the limits live, such as {@code SQLite file /home/ann/.weft/weft.db}.
     *
     * @return the description, without passwords
     */
    String describe() {
        return dialect == Dialect.SQLITE ? "SQLite file " + file : "PostgreSQL " + safeUrl();
    }

    /**
     * Replaces each password in a JDBC URL by {@code ***}.
     *
     * @param url the URL
     * @return the URL without passwords
     */
    static String redact(String url) {
        String safe = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(safe).replaceAll("$1***@");
    }
}
