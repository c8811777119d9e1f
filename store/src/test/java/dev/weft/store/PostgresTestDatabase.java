package dev.weft.store;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests use: {@code jdbc:postgresql://127.0.0.1:5432/test} with trust
 * authentication, as the OS user or {@code postgres}, unless {@value #URL_VARIABLE} names another. Each
 * {@link #newSchema()} is a fresh schema, dropped by {@link #close()}.
 *
 * <p>When the server cannot be reached, the tests that need it are skipped, except on CI ({@code CI=true}),
 * where they fail: there, a missing database is a broken build, not a developer's laptop.
 */
final class PostgresTestDatabase implements AutoCloseable {
    /** The environment variable that names another server, as a JDBC URL with its user. */
    static final String URL_VARIABLE = "WEFT_TEST_POSTGRES_URL";

    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String url;
    private final List<String> schemas = new ArrayList<>();

    private PostgresTestDatabase(String url) {
        this.url = url;
    }

    /**
     * Connects to the server, or skips the calling test (fails it on CI) if it cannot be reached.
     *
     * @return the server
     */
    static PostgresTestDatabase connectOrSkip() {
        String configured = System.getenv(URL_VARIABLE);
        List<String> candidates = configured != null && !configured.isBlank()
                ? List.of(configured.strip())
                : List.of(
                        withParameter(DEFAULT_URL, "user", System.getProperty("user.name")),
                        withParameter(DEFAULT_URL, "user", "postgres"));
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            try (Connection c = DriverManager.getConnection(withParameter(candidate, "connectTimeout", "3"))) {
                if (c.isValid(3)) {
                    return new PostgresTestDatabase(candidate);
                }
                failures.add(Database.redact(candidate) + ": the connection is not valid");
            } catch (SQLException e) {
                failures.add(Database.redact(candidate) + ": " + Failures.reason(e));
            }
        }
        String message = "PostgreSQL is not reachable for the store's tests (" + String.join("; ", failures)
                + "). Start one at 127.0.0.1:5432 with a database 'test' and trust authentication, or set "
                + URL_VARIABLE + " to a JDBC URL with its user";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /**
     * Creates a fresh, empty schema.
     *
     * @return a JDBC URL whose current schema it is
     */
    String newSchema() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        String schema = "weft_test_" + HexFormat.of().formatHex(random);
        execute("CREATE SCHEMA " + schema);
        synchronized (schemas) {
            schemas.add(schema);
        }
        return withParameter(url, "currentSchema", schema);
    }

    /**
     * Runs a statement outside any schema of the tests.
     *
     * @param sql the statement
     */
    void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + Database.redact(url), e);
        }
    }

    /** Drops the schemas this made. */
    @Override
    public void close() {
        List<String> made;
        synchronized (schemas) {
            made = List.copyOf(schemas);
            schemas.clear();
        }
        for (String schema : made) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    static String withParameter(String url, String name, String value) {
        return url + (url.contains("?") ? "&" : "?") + name + "=" + value;
    }
}
