package dev.weft.contract;

import dev.weft.ConcurrencyLimit;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A store that takes its time to give slots back, as a database across a network does. */
final class SlowReleases implements SlotStore {
    private static final long RELEASE_MS = 20;
    private final SlotStore store;

    SlowReleases(SlotStore store) {
        this.store = store;
    }

    @Override
    public String describe() {
        return "slow " + store.describe();
    }

    @Override
    public Admission acquire(String holder, UUID runId, String runName, Collection<String> tags, Duration lease) {
        return store.acquire(holder, runId, runName, tags, lease);
    }

    @Override
    public void release(UUID runId) {
        try {
            Thread.sleep(RELEASE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.release(runId);
    }

    @Override
    public void renew(String holder, Collection<UUID> runIds, Duration lease) {
        store.renew(holder, runIds, lease);
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public ConcurrencyLimit create(String tag, int limit) {
        return store.create(tag, limit);
    }

    @Override
    public Optional<ConcurrencyLimit> read(String tag) {
        return store.read(tag);
    }

    @Override
    public List<ConcurrencyLimit> readAll() {
        return store.readAll();
    }

    @Override
    public boolean delete(String tag) {
        return store.delete(tag);
    }

    @Override
    public boolean reset(String tag) {
        return store.reset(tag);
    }

    @Override
    public void close() {
        store.close();
    }
}
