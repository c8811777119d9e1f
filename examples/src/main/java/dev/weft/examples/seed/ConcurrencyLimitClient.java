package dev.weft.examples.seed;

import dev.weft.ConcurrencyLimit;
import dev.weft.WeftClient;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Twin of the {@code OrionClient} snippets of "Task run concurrency limits", "Python client": {@link
 * WeftClient} creates a limit of 10 on the {@code small_instance} tag, reads it back by its tag (its limit,
 * and the ids of the runs holding its slots: none, as nothing runs), reads every limit, and deletes it by
 * its tag, so that it leaves no limit behind.
 *
 * <p>The limits live where this process's flows take their slots: in the store of {@code weft-store} when
 * it is on the class path (a SQLite file in Weft's home by default), in the memory of the process
 * otherwise. Creating a limit on a tag that has one changes it and keeps its id, so the example also runs
 * where {@code small_instance} was limited before; it deletes the limit at the end either way.
 */
public final class ConcurrencyLimitClient {
    private ConcurrencyLimitClient() {}

    /**
     * Creates, reads, lists and deletes the limit, printing what each call returns.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // snippet:create-concurrency-limit
        try (WeftClient client = WeftClient.open()) {
            // set a concurrency limit of 10 on the 'small_instance' tag
            UUID limitId = client.createConcurrencyLimit("small_instance", 10);
            System.out.println("Created concurrency limit " + limitId + " on tag 'small_instance'");
        }
        // end-snippet:create-concurrency-limit

        // snippet:read-concurrency-limit
        try (WeftClient client = WeftClient.open()) {
            // query the concurrency limit on the 'small_instance' tag
            Optional<ConcurrencyLimit> limit = client.readConcurrencyLimitByTag("small_instance");
            limit.ifPresent(l -> System.out.println(
                    "Tag '" + l.tag() + "': limit " + l.limit() + ", active slots " + l.activeSlots()));

            // and every limit, on every tag
            List<ConcurrencyLimit> limits = client.readConcurrencyLimits();
            limits.forEach(l -> System.out.println("  " + l.tag() + ": " + l.limit()));
        }
        // end-snippet:read-concurrency-limit

        // snippet:delete-concurrency-limit
        try (WeftClient client = WeftClient.open()) {
            // remove a concurrency limit on the 'small_instance' tag
            boolean deleted = client.deleteConcurrencyLimitByTag("small_instance");
            System.out.println("Deleted the limit on tag 'small_instance': " + deleted);
        }
        // end-snippet:delete-concurrency-limit
    }
}
