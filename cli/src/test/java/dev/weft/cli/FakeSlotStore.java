package dev.weft.cli;

import dev.weft.ConcurrencyLimit;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import dev.weft.spi.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Limits in a map, for tests of the command's output: ids count up from 1 and every limit was created at
 * {@link #NOW}. With {@link #failWith} set, every call throws a {@link StoreException}. Not thread-safe.
 */
final class FakeSlotStore implements SlotStore {
    static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");

    private final String description;
    private final Map<String, ConcurrencyLimit> limits = new TreeMap<>();
    private long nextId = 1;
    private StoreException failure;
    private boolean closed;

    FakeSlotStore() {
        this("fake store");
    }

    FakeSlotStore(String description) {
        this.description = description;
    }

    /** Makes every later call throw {@code e}, as a database that went away would. */
    FakeSlotStore failWith(StoreException e) {
        failure = e;
        return this;
    }

    /** Gives {@code runId} a slot on {@code tag}, as a running task would hold one. */
    void hold(String tag, UUID runId) {
        hold(tag, runId, "run-" + runId, "host-a:4242:0a1b2c3d", NOW);
    }

    /**
     * Gives a run a slot on {@code tag}, taken by {@code holder} ({@code host:pid:id}, as the engine names
     * its process) at {@code acquired}.
     */
    void hold(String tag, UUID runId, String runName, String holder, Instant acquired) {
        ConcurrencyLimit limit = limits.get(tag);
        List<ConcurrencyLimit.Slot> slots = new ArrayList<>(limit.slots());
        slots.add(ConcurrencyLimit.Slot.held(runId, runName, holder, acquired));
        limits.put(tag, with(limit, limit.limit(), slots));
    }

    boolean closed() {
        return closed;
    }

    static UUID id(long n) {
        return new UUID(0, n);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Admission acquire(String holder, UUID runId, String runName, Collection<String> tags, Duration lease) {
        throw new UnsupportedOperationException("the command takes no slots");
    }

    @Override
    public void release(UUID runId) {
        throw new UnsupportedOperationException("the command takes no slots");
    }

    @Override
    public void renew(String holder, Collection<UUID> runIds, Duration lease) {
        throw new UnsupportedOperationException("the command takes no slots");
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public ConcurrencyLimit create(String tag, int limit) {
        check();
        ConcurrencyLimit old = limits.get(tag);
        ConcurrencyLimit created = old != null
                ? with(old, limit, old.slots())
                : new ConcurrencyLimit(id(nextId++), tag, limit, List.of(), NOW, NOW);
        limits.put(tag, created);
        return created;
    }

    @Override
    public Optional<ConcurrencyLimit> read(String tag) {
        check();
        return Optional.ofNullable(limits.get(tag));
    }

    @Override
    public List<ConcurrencyLimit> readAll() {
        check();
        return List.copyOf(limits.values());
    }

    @Override
    public boolean delete(String tag) {
        check();
        return limits.remove(tag) != null;
    }

    @Override
    public boolean reset(String tag) {
        check();
        ConcurrencyLimit limit = limits.get(tag);
        if (limit == null) {
            return false;
        }
        limits.put(tag, with(limit, limit.limit(), List.of()));
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void check() {
        if (failure != null) {
            throw failure;
        }
    }

    private static ConcurrencyLimit with(ConcurrencyLimit limit, int value, List<ConcurrencyLimit.Slot> slots) {
        return new ConcurrencyLimit(limit.id(), limit.tag(), value, slots, limit.created(), NOW);
    }
}
