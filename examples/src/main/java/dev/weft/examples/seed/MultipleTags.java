package dev.weft.examples.seed;

import dev.weft.Annotate;
import dev.weft.Flow;
import dev.weft.Task;
import dev.weft.Task1;
import dev.weft.WeftClient;

/**
 * Twin of "Task run concurrency limits", on tasks with several tags: "If a task has multiple tags, it will
 * run only if all tags have available concurrency." Three reports carry the tag {@code small_instance},
 * which has a limit of 10, and, from an {@link Annotate#tags} scope (Prefect's {@code with
 * tags("database"):}), the tag {@code database}, which has a limit of 1. So they run one at a time, the
 * others {@code Queued} on {@code database} while {@code small_instance} has slots to spare; and a queued
 * report takes no slot at all until it can take both, so the running report is the only holder of a
 * {@code small_instance} slot, as each report prints from inside its run.
 *
 * <p>The limits are set through the {@link WeftClient} when the example starts and deleted when it ends.
 */
public final class MultipleTags {
    private MultipleTags() {}

    // snippet:multiple-tags
    static final Task1<Integer, Void> report = Task.of("report", (Integer n) -> {
                try (WeftClient client = WeftClient.open()) {
                    System.out.println("report " + n + " runs; slots taken: " + slots(client, "small_instance") + ", "
                            + slots(client, "database"));
                }
            })
            .withTags("small_instance");

    @SuppressWarnings("try") // -Xlint:try: a scope is never referenced inside its block; that is how it works
    static final Flow<Void> reports = Flow.of("reports", () -> {
        try (Annotate db = Annotate.tags("database")) { // these reports also read the database
            for (int n = 0; n < 3; n++) {
                report.submit(n); // tagged 'small_instance' and 'database'
            }
        }
    });

    /**
     * Sets a limit of 10 on 'small_instance' and of 1 on 'database', runs the flow, and deletes both limits.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        try (WeftClient client = WeftClient.open()) {
            client.createConcurrencyLimit("small_instance", 10);
            client.createConcurrencyLimit("database", 1);
            try {
                reports.call();
            } finally {
                client.deleteConcurrencyLimitByTag("small_instance");
                client.deleteConcurrencyLimitByTag("database");
            }
        }
    }
    // end-snippet:multiple-tags

    /** Says how many of a tag's slots are taken, out of its limit, such as {@code 'small_instance' 1/10}. */
    static String slots(WeftClient client, String tag) {
        return client.readConcurrencyLimitByTag(tag)
                .map(l -> "'" + tag + "' " + l.activeSlots().size() + "/" + l.limit())
                .orElse("'" + tag + "' has no limit");
    }
}
