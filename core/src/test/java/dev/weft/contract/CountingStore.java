package dev.weft.contract;

import dev.weft.ConcurrencyLimit;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates to a store, counting every call of the engine's side: acquire, release, renew.
 *
 * @param delegate the store
 * @param calls the count
 */
public record CountingStore(SlotStore delegate, AtomicInteger calls) implements SlotStore {
    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Admission acquire(String holder, UUID runId, String runName, Collection<String> tags, Duration lease) {
        calls.incrementAndGet();
        return delegate.acquire(holder, runId, runName, tags, lease);
    }

    @Override
    public void release(UUID runId) {
        calls.incrementAndGet();
        delegate.release(runId);
    }

    @Override
    public void renew(String holder, Collection<UUID> runIds, Duration lease) {
        calls.incrementAndGet();
        delegate.renew(holder, runIds, lease);
    }

    @Override
    public ConcurrencyLimit create(String tag, int limit) {
        return delegate.create(tag, limit);
    }

    @Override
    public Optional<ConcurrencyLimit> read(String tag) {
        return delegate.read(tag);
    }

    @Override
    public List<ConcurrencyLimit> readAll() {
        return delegate.readAll();
    }

    @Override
    public boolean delete(String tag) {
        return delegate.delete(tag);
    }

    @Override
    public boolean reset(String tag) {
        return delegate.reset(tag);
    }

    @Override
    public void close() {}
}
