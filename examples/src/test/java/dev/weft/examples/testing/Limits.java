package dev.weft.examples.testing;

import dev.weft.ConcurrencyLimit;
import dev.weft.WeftClient;
import java.util.Optional;

/**
 * Reads and clears the concurrency limits that the examples of "Task run concurrency limits" set, on the
 * store this process's flows use: the memory of the process, or, with {@code weft-store} on the class path,
 * the database in the {@code weft.home} the build gives the tests.
 */
public final class Limits {
    private Limits() {}

    /**
     * Reads the limit on a tag.
     *
     * @param tag the tag
     * @return the limit, if the tag has one
     */
    public static Optional<ConcurrencyLimit> read(String tag) {
        try (WeftClient client = WeftClient.open()) {
            return client.readConcurrencyLimitByTag(tag);
        }
    }

    /**
     * Sets a limit on a tag.
     *
     * @param tag the tag
     * @param limit the limit
     */
    public static void set(String tag, int limit) {
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit(tag, limit);
        }
    }

    /**
     * Deletes the limits on the tags, where there are any: so that a test leaves none behind, whatever
     * happened in it.
     *
     * @param tags the tags
     */
    public static void delete(String... tags) {
        try (WeftClient client = WeftClient.open()) {
            for (String tag : tags) {
                client.deleteConcurrencyLimitByTag(tag);
            }
        }
    }
}
