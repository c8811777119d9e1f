package dev.weft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.ConcurrencyLimit;
import dev.weft.Settings;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.spi.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link JdbcSlotStore} database must do: the semantics of the in-memory store of core, plus
 * leases, atomic acquires across store instances, and migrations. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class SlotStoreContractTest {
    static final Duration LONG_LEASE = Duration.ofMinutes(10);
    static final String HOLDER = "host:1:test";

    /** The database this class's tests share, emptied before each. */
    Settings settings;

    /** A store on it, opened before each test. */
    SlotStore store;

    /**
     * Settings that name a fresh, empty database; each call makes another.
     *
     * @return the settings
     */
    abstract Settings newDatabase();

    /**
     * Connects to the database of the settings behind the store's back, to look at its tables.
     *
     * @param settings settings from {@link #newDatabase()}
     * @return a connection
     * @throws SQLException if it cannot connect
     */
    abstract Connection connect(Settings settings) throws SQLException;

    /** Drops the databases {@link #newDatabase()} made, where they outlive the test. */
    void dropDatabases() {}

    @BeforeAll
    void createDatabase() {
        settings = newDatabase();
    }

    @BeforeEach
    void openStore() {
        store = JdbcSlotStore.open(settings);
        for (ConcurrencyLimit limit : store.readAll()) {
            store.delete(limit.tag());
        }
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @AfterAll
    void cleanUp() {
        dropDatabases();
    }

    Admission acquire(UUID run, String... tags) {
        return store.acquire(HOLDER, run, "run-" + run, List.of(tags), LONG_LEASE);
    }

    List<UUID> slots(String tag) {
        return store.read(tag).orElseThrow().activeSlots();
    }

    // ---- limits ---------------------------------------------------------------------------------------

    @Test
    void shouldCreateAndReadALimit() {
        ConcurrencyLimit created = store.create("small_instance", 10);

        assertThat(created.tag()).isEqualTo("small_instance");
        assertThat(created.limit()).isEqualTo(10);
        assertThat(created.activeSlots()).isEmpty();
        assertThat(created.updated()).isEqualTo(created.created());
        assertThat(store.read("small_instance")).contains(created);
    }

    @Test
    void shouldKeepIdAndSlotsWhenALimitIsSetAgain() {
        ConcurrencyLimit first = store.create("db", 1);
        UUID run = UUID.randomUUID();
        assertThat(acquire(run, "db")).isEqualTo(Admission.GRANTED);

        ConcurrencyLimit second = store.create("db", 3);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.limit()).isEqualTo(3);
        assertThat(second.activeSlots()).containsExactly(run);
        assertThat(second.created()).isEqualTo(first.created());
        assertThat(second.updated()).isAfterOrEqualTo(first.updated());
    }

    @Test
    void shouldReadAllLimitsOrderedByTag() {
        store.create("b", 2);
        store.create("a", 1);
        store.create("c", 0);

        assertThat(store.readAll()).extracting(ConcurrencyLimit::tag).containsExactly("a", "b", "c");
        assertThat(store.readAll()).extracting(ConcurrencyLimit::limit).containsExactly(1, 2, 0);
    }

    @Test
    void shouldAnswerEmptyAndFalseForATagWithoutALimit() {
        assertThat(store.read("nothing")).isEmpty();
        assertThat(store.delete("nothing")).isFalse();
        assertThat(store.reset("nothing")).isFalse();
    }

    @Test
    void shouldDeleteALimitWithItsSlots() {
        ConcurrencyLimit before = store.create("db", 1);
        acquire(UUID.randomUUID(), "db");

        assertThat(store.delete("db")).isTrue();

        assertThat(store.read("db")).isEmpty();
        ConcurrencyLimit again = store.create("db", 1);
        assertThat(again.id()).isNotEqualTo(before.id());
        assertThat(again.activeSlots()).isEmpty();
    }

    @Test
    void shouldResetFreeingEverySlotButKeepingTheLimit() {
        ConcurrencyLimit limit = store.create("db", 2);
        acquire(UUID.randomUUID(), "db");
        acquire(UUID.randomUUID(), "db");

        assertThat(store.reset("db")).isTrue();

        ConcurrencyLimit after = store.read("db").orElseThrow();
        assertThat(after.id()).isEqualTo(limit.id());
        assertThat(after.activeSlots()).isEmpty();
        assertThat(acquire(UUID.randomUUID(), "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldRejectAnInvalidTagOrANegativeLimit() {
        assertThatThrownBy(() -> store.create(" ", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("db", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 or more");
    }

    // ---- acquire and release ------------------------------------------------------------------------

    @Test
    void shouldListActiveSlotsOldestFirst() {
        store.create("db", 3);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        acquire(first, "db");
        acquire(second, "db");
        acquire(third, "db");

        assertThat(slots("db")).containsExactly(first, second, third);

        store.release(second);
        UUID fourth = UUID.randomUUID();
        acquire(fourth, "db");
        assertThat(slots("db")).containsExactly(first, third, fourth);
    }

    @Test
    void shouldTakeNothingWhenOneOfTheRunsTagsIsFull() {
        store.create("a", 1);
        store.create("b", 1);
        UUID holder = UUID.randomUUID();
        assertThat(acquire(holder, "b")).isEqualTo(Admission.GRANTED);

        UUID run = UUID.randomUUID();
        Admission answer = acquire(run, "a", "b");

        assertThat(answer).isEqualTo(Admission.full("b", 1, List.of(holder)));
        assertThat(slots("a")).isEmpty();
        assertThat(slots("b")).containsExactly(holder);
    }

    @Test
    void shouldAnswerWithTheFirstStoppingTagInTheRunsOrder() {
        store.create("full", 1);
        store.create("zero", 0);
        UUID holder = UUID.randomUUID();
        acquire(holder, "full");

        assertThat(acquire(UUID.randomUUID(), "zero", "full")).isEqualTo(Admission.zero("zero"));
        assertThat(acquire(UUID.randomUUID(), "full", "zero")).isEqualTo(Admission.full("full", 1, List.of(holder)));
    }

    @Test
    void shouldTakeASlotOnEachLimitedTagAndNoneOnOthers() {
        store.create("a", 2);
        store.create("b", 2);
        UUID run = UUID.randomUUID();

        assertThat(acquire(run, "a", "unlimited", "b")).isEqualTo(Admission.GRANTED);

        assertThat(slots("a")).containsExactly(run);
        assertThat(slots("b")).containsExactly(run);
        assertThat(store.read("unlimited")).isEmpty();
    }

    @Test
    void shouldGrantRunsWhoseTagsHaveNoLimit() {
        UUID run = UUID.randomUUID();

        assertThat(acquire(run, "free", "also-free")).isEqualTo(Admission.GRANTED);
        assertThat(acquire(UUID.randomUUID())).isEqualTo(Admission.GRANTED);
        assertThat(store.readAll()).isEmpty();
    }

    @Test
    void shouldAnswerZeroForALimitOfZeroEvenWithNoSlotHeld() {
        store.create("never", 0);

        Admission answer = acquire(UUID.randomUUID(), "never");

        assertThat(answer.outcome()).isEqualTo(Admission.Outcome.ZERO);
        assertThat(answer).isEqualTo(Admission.zero("never"));
    }

    @Test
    void shouldAnswerFullWithTheHoldersOldestFirst() {
        store.create("db", 2);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        acquire(first, "db");
        acquire(second, "db");

        Admission answer = acquire(UUID.randomUUID(), "db");

        assertThat(answer.outcome()).isEqualTo(Admission.Outcome.FULL);
        assertThat(answer.tag()).isEqualTo("db");
        assertThat(answer.limit()).isEqualTo(2);
        assertThat(answer.holders()).containsExactly(first, second);
    }

    @Test
    void shouldNotCountARunTwiceOnATagItHolds() {
        store.create("db", 1);
        store.create("other", 1);
        UUID run = UUID.randomUUID();
        acquire(run, "db");

        assertThat(acquire(run, "db", "other")).isEqualTo(Admission.GRANTED);

        assertThat(slots("db")).containsExactly(run);
        assertThat(slots("other")).containsExactly(run);
    }

    @Test
    void shouldReleaseEverySlotOfARun() {
        store.create("a", 1);
        store.create("b", 1);
        UUID run = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        acquire(run, "a", "b");

        store.release(run);
        store.release(run); // twice is harmless

        assertThat(slots("a")).isEmpty();
        assertThat(slots("b")).isEmpty();
        assertThat(acquire(other, "a", "b")).isEqualTo(Admission.GRANTED);
    }

    // ---- leases ---------------------------------------------------------------------------------------

    @Test
    void shouldFreeASlotWhoseLeaseRanOut() {
        store.create("db", 1);
        UUID gone = UUID.randomUUID();
        assertThat(store.acquire("crashed-host", gone, "gone", List.of("db"), Duration.ofMillis(300)))
                .isEqualTo(Admission.GRANTED);

        UUID next = UUID.randomUUID();
        Poll.until(
                Duration.ofSeconds(20),
                () -> acquire(next, "db").outcome() == Admission.Outcome.GRANTED,
                "the unrenewed slot's lease runs out and another run takes it");

        assertThat(slots("db")).containsExactly(next);
    }

    @Test
    void shouldKeepTheSlotsItsHolderRenews() {
        store.create("db", 2);
        UUID renewed = UUID.randomUUID();
        UUID othersRun = UUID.randomUUID();
        Duration shortLease = Duration.ofMillis(300);
        store.acquire("me", renewed, "renewed", List.of("db"), shortLease);
        store.acquire("someone-else", othersRun, "others", List.of("db"), shortLease);

        // only the holder's own slots are renewed, whatever run ids it names
        store.renew("me", List.of(renewed, othersRun, UUID.randomUUID()), LONG_LEASE);

        Poll.until(
                Duration.ofSeconds(20),
                () -> !slots("db").contains(othersRun),
                "the slot that was not renewed expires");
        assertThat(slots("db")).containsExactly(renewed);
        assertThat(acquire(UUID.randomUUID(), "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldRejectALeaseThatIsNotPositive() {
        assertThatThrownBy(() -> store.acquire(HOLDER, UUID.randomUUID(), "r", List.of("db"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease");
    }

    // ---- fairness -------------------------------------------------------------------------------------

    /** Acquires as a run of another process, named by its holder. */
    Admission acquireAs(String holder, UUID run, Duration lease, String... tags) {
        return store.acquire(holder, run, "run-" + run, List.of(tags), lease);
    }

    Admission acquireAs(String holder, UUID run, String... tags) {
        return acquireAs(holder, run, LONG_LEASE, tags);
    }

    @Test
    void shouldNotLetANewcomerTakeASlotFreedWhileAnotherRunWaits() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID waiting = UUID.randomUUID();
        assertThat(acquireAs("process-a", holding, "db")).isEqualTo(Admission.GRANTED);
        assertThat(acquireAs("process-b", waiting, "db").outcome()).isEqualTo(Admission.Outcome.FULL);

        store.release(holding);

        // the slot is free, but taken for the run that waited: newcomers of any process, the waiter's own
        // included, wait behind it, and learn who holds the tag's slots (nobody now)
        assertThat(acquireAs("process-c", UUID.randomUUID(), "db")).isEqualTo(Admission.full("db", 1, List.of()));
        assertThat(acquireAs("process-b", UUID.randomUUID(), "db")).isEqualTo(Admission.full("db", 1, List.of()));
        assertThat(slots("db")).isEmpty();
        assertThat(acquireAs("process-b", waiting, "db")).isEqualTo(Admission.GRANTED);
        assertThat(slots("db")).containsExactly(waiting);
    }

    @Test
    void shouldGiveAFreedSlotToTheRunThatWaitedLongest() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID third = UUID.randomUUID();
        acquireAs("process-a", holding, "db");
        assertThat(acquireAs("process-b", first, "db")).isEqualTo(Admission.full("db", 1, List.of(holding)));
        acquireAs("process-c", second, "db");
        acquireAs("process-d", third, "db");

        store.release(holding);

        assertThat(acquireAs("process-d", third, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
        assertThat(acquireAs("process-c", second, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
        assertThat(acquireAs("process-b", first, "db")).isEqualTo(Admission.GRANTED);

        store.release(first);

        assertThat(acquireAs("process-d", third, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
        assertThat(acquireAs("process-c", second, "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldGrantAsManyWaitersAsThereAreFreeSlotsInAnyOrder() {
        store.create("db", 2);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        acquireAs("process-a", a, "db");
        acquireAs("process-a", b, "db");
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        acquireAs("process-b", first, "db");
        acquireAs("process-c", second, "db");

        store.release(a);
        store.release(b);

        // two free slots, one waiter ahead: the second waiter need not wait for the first to ask
        assertThat(acquireAs("process-c", second, "db")).isEqualTo(Admission.GRANTED);
        assertThat(acquireAs("process-b", first, "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldLetAHolderGiveItsTurnToAnyOfItsWaitingRuns() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID mineFirst = UUID.randomUUID();
        UUID theirs = UUID.randomUUID();
        UUID mineLater = UUID.randomUUID();
        acquireAs("process-x", holding, "db");
        acquireAs("process-a", mineFirst, "db");
        acquireAs("process-b", theirs, "db");
        acquireAs("process-a", mineLater, "db");

        store.release(holding);

        // process-a's queue has its own order: its later run takes process-a's turn, once
        assertThat(acquireAs("process-a", mineLater, "db")).isEqualTo(Admission.GRANTED);
        store.release(mineLater);
        assertThat(acquireAs("process-a", mineFirst, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
        assertThat(acquireAs("process-b", theirs, "db")).isEqualTo(Admission.GRANTED);
        store.release(theirs);
        assertThat(acquireAs("process-a", mineFirst, "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldNoLongerBeHeldBackByAWaitWhoseLeaseLapsed() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        acquireAs("process-a", holding, "db");
        acquireAs("crashed-process", gone, "db");
        acquireAs("process-b", next, "db");
        store.release(holding);
        assertThat(acquireAs("process-b", next, "db").outcome())
                .as("behind a live wait")
                .isEqualTo(Admission.Outcome.FULL);

        // the waiter's process stops renewing: its last renewal runs out
        store.renew("crashed-process", List.of(gone), Duration.ofMillis(300));

        Poll.until(
                Duration.ofSeconds(20),
                () -> acquireAs("process-b", next, "db").outcome() == Admission.Outcome.GRANTED,
                "the lapsed wait stops holding the next run back");
        assertThat(slots("db")).containsExactly(next);
    }

    @Test
    void shouldLetTheNextWaiterInWhenAWaitingRunIsReleased() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        acquireAs("process-a", holding, "db");
        acquireAs("process-b", cancelled, "db");
        acquireAs("process-c", next, "db");
        store.release(holding);
        assertThat(acquireAs("process-c", next, "db").outcome()).isEqualTo(Admission.Outcome.FULL);

        store.release(cancelled); // ended while queued: its wait ends with it

        assertThat(acquireAs("process-c", next, "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldKeepTheWaitsItsHolderRenews() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID lapsing = UUID.randomUUID();
        UUID renewed = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        Duration shortLease = Duration.ofMillis(300);
        acquireAs("process-a", holding, "db");
        acquireAs("process-b", lapsing, shortLease, "db");
        acquireAs("process-c", renewed, shortLease, "db");
        acquireAs("process-d", later, "db");

        store.renew("process-c", List.of(renewed), LONG_LEASE);
        store.release(holding);

        // granted once the wait ahead of it lapsed; had its own lapsed too, it would queue again behind 'later'
        Poll.until(
                Duration.ofSeconds(20),
                () -> acquireAs("process-c", renewed, shortLease, "db").outcome() == Admission.Outcome.GRANTED,
                "the renewed wait reaches the front once the wait ahead of it lapses");
        assertThat(acquireAs("process-d", later, "db").outcome()).isEqualTo(Admission.Outcome.FULL);
    }

    @Test
    void shouldWaitOnlyOnTheTagThatStoppedTheRun() {
        store.create("a", 1);
        store.create("b", 1);
        UUID onA = UUID.randomUUID();
        UUID both = UUID.randomUUID();
        acquireAs("process-a", onA, "a");
        assertThat(acquireAs("process-b", both, "b", "a")).isEqualTo(Admission.full("a", 1, List.of(onA)));
        store.release(onA);
        UUID onB = UUID.randomUUID();
        acquireAs("process-a", onB, "b");

        // 'a' has room for it now, 'b' not: it waits on 'b', and no longer holds 'a' back
        assertThat(acquireAs("process-b", both, "b", "a")).isEqualTo(Admission.full("b", 1, List.of(onB)));
        assertThat(acquireAs("process-c", UUID.randomUUID(), "a")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldEndTheWaitsOnATagWhoseLimitIsDeleted() {
        store.create("db", 1);
        acquireAs("process-a", UUID.randomUUID(), "db");
        acquireAs("process-b", UUID.randomUUID(), "db");

        store.delete("db");
        store.create("db", 1);

        assertThat(acquireAs("process-c", UUID.randomUUID(), "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldEndTheWaitOfARunThatALimitOfZeroAborts() {
        store.create("db", 1);
        UUID holding = UUID.randomUUID();
        UUID aborted = UUID.randomUUID();
        acquireAs("process-a", holding, "db");
        acquireAs("process-b", aborted, "db");

        store.create("db", 0);
        assertThat(acquireAs("process-b", aborted, "db")).isEqualTo(Admission.zero("db"));
        store.create("db", 1);
        store.release(holding);

        assertThat(acquireAs("process-c", UUID.randomUUID(), "db")).isEqualTo(Admission.GRANTED);
    }

    @Test
    void shouldKeepTheWaitingRunsInOrderWhenATagIsReset() {
        store.create("db", 1);
        UUID stuck = UUID.randomUUID();
        UUID waiting = UUID.randomUUID();
        acquireAs("process-a", stuck, "db");
        acquireAs("process-b", waiting, "db");

        assertThat(store.reset("db")).isTrue();

        assertThat(acquireAs("process-c", UUID.randomUUID(), "db").outcome()).isEqualTo(Admission.Outcome.FULL);
        assertThat(acquireAs("process-b", waiting, "db")).isEqualTo(Admission.GRANTED);
    }

    // ---- what the engine reads ------------------------------------------------------------------------

    @Test
    void shouldListTheTagsThatHaveALimit() {
        assertThat(store.limitedTags()).isEmpty();
        store.create("db", 2);
        store.create("never", 0);

        assertThat(store.limitedTags()).containsExactlyInAnyOrder("db", "never");

        store.delete("db");
        assertThat(store.limitedTags()).containsExactly("never");
    }

    @Test
    void shouldNameTheRunsThatHoldSlotsWithTheirProcessAndHost() {
        store.create("db", 2);
        UUID run = UUID.randomUUID();
        store.acquire("host-a:4242:0a1b2c3d", run, "query-24bdb5eb-2", List.of("db"), LONG_LEASE);

        ConcurrencyLimit.Slot slot = store.read("db").orElseThrow().slots().getFirst();

        assertThat(slot.runId()).isEqualTo(run);
        assertThat(slot.runName()).isEqualTo("query-24bdb5eb-2");
        assertThat(slot.host()).isEqualTo("host-a");
        assertThat(slot.pid()).isEqualTo(4242);
        assertThat(slot.acquired())
                .isAfterOrEqualTo(store.read("db").orElseThrow().created());
    }

    // ---- many at once ---------------------------------------------------------------------------------

    /** Property: across two store instances and many threads, no more than the limit hold slots at once. */
    @Test
    void shouldNeverLetMoreRunsThanTheLimitHoldSlotsAtOnce() throws Exception {
        int threads = 12;
        int grantsPerThread = 8;
        int limit = 2;
        store.create("db", limit);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger mostRows = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (SlotStore second = JdbcSlotStore.open(settings);
                Connection look = connect(settings);
                ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SlotStore mine = t % 2 == 0 ? store : second;
                String holder = "thread-" + t;
                Callable<Integer> worker = () -> {
                    start.await();
                    int granted = 0;
                    UUID run = UUID.randomUUID();
                    while (granted < grantsPerThread) {
                        // a run that found the tag full waits: it asks again, as itself, as the engine's do
                        Admission answer = mine.acquire(holder, run, "run", List.of("db"), LONG_LEASE);
                        if (answer.outcome() != Admission.Outcome.GRANTED) {
                            assertThat(answer.holders()).hasSizeLessThanOrEqualTo(limit);
                            if (Thread.interrupted()) {
                                throw new InterruptedException("the test timed out");
                            }
                            continue;
                        }
                        granted++;
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        if (granted % 2 == 0) {
                            synchronized (look) {
                                mostRows.accumulateAndGet(countSlotRows(look, "db"), Math::max);
                            }
                        }
                        inside.decrementAndGet();
                        mine.release(run);
                        run = UUID.randomUUID();
                    }
                    return granted;
                };
                results.add(pool.submit(worker));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(grantsPerThread);
            }
        }
        assertThat(mostInside.get()).isBetween(1, limit);
        assertThat(mostRows.get()).isBetween(1, limit);
        assertThat(slots("db")).isEmpty();
    }

    static int countSlotRows(Connection c, String tag) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM weft_concurrency_slot WHERE tag = ?")) {
            s.setString(1, tag);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    // ---- migrations -----------------------------------------------------------------------------------

    @Test
    void shouldCreateTheTablesInAnEmptyDatabaseAndOpenItAgain() throws Exception {
        Settings empty = newDatabase();
        UUID id;
        try (SlotStore first = JdbcSlotStore.open(empty)) {
            id = first.create("db", 4).id();
        }
        try (Connection c = connect(empty);
                PreparedStatement s = c.prepareStatement(
                        "SELECT version, success FROM " + Migrations.HISTORY_TABLE + " ORDER BY installed_rank");
                ResultSet r = s.executeQuery()) {
            List<String> applied = new ArrayList<>();
            while (r.next()) {
                assertThat(r.getBoolean(2)).isTrue();
                applied.add(r.getString(1));
            }
            assertThat(applied).containsExactly("1", "2", "3", "4");
            assertThat(countSlotRows(c, "db")).isZero();
        }
        try (SlotStore again = JdbcSlotStore.open(empty)) {
            Optional<ConcurrencyLimit> limit = again.read("db");
            assertThat(limit).map(ConcurrencyLimit::id).contains(id);
        }
    }

    @Test
    void shouldLetSeveralStoresOpenAFreshDatabaseAtOnce() throws Exception {
        Settings fresh = newDatabase();
        int stores = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SlotStore>> opened = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(stores)) {
            for (int i = 0; i < stores; i++) {
                opened.add(pool.submit(() -> {
                    start.await();
                    return JdbcSlotStore.open(fresh);
                }));
            }
            start.countDown();
            List<SlotStore> all = new ArrayList<>();
            try {
                for (Future<SlotStore> f : opened) {
                    all.add(f.get());
                }
                all.getFirst().create("db", 1);
                for (SlotStore s : all) {
                    assertThat(s.read("db")).isPresent();
                }
            } finally {
                all.forEach(SlotStore::close);
            }
        }
    }

    // ---- misc -----------------------------------------------------------------------------------------

    @Test
    void shouldSayItBlocks() {
        assertThat(store.blocking()).isTrue();
    }

    @Test
    void shouldRefuseCallsOnceClosed() {
        SlotStore closed = JdbcSlotStore.open(settings);
        closed.close();
        closed.close(); // twice is harmless

        assertThatThrownBy(() -> closed.read("db"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining(closed.describe());
    }
}
