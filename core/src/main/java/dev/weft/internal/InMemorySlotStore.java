package dev.weft.internal;

import dev.weft.ConcurrencyLimit;
import dev.weft.spi.Admission;
import dev.weft.spi.SlotStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Limits inside one process, when no store is on the class path. Only runs that carry tags come here, so
 * one monitor guards it. Slots need no lease: a process that dies takes its slots with it.
 */
final class InMemorySlotStore implements SlotStore {
    private final Clock clock;
    private final Map<String, Limit> limits = new TreeMap<>();

    InMemorySlotStore(Clock clock) {
        this.clock = clock;
    }

    private static final class Limit {
        final UUID id = UUID.randomUUID();
        final Instant created;
        Instant updated;
        int limit;
        final LinkedHashMap<UUID, ConcurrencyLimit.Slot> holders = new LinkedHashMap<>();

        Limit(int limit, Instant now) {
            this.limit = limit;
            this.created = now;
            this.updated = now;
        }

        ConcurrencyLimit view(String tag) {
            return new ConcurrencyLimit(id, tag, limit, new ArrayList<>(holders.values()), created, updated);
        }
    }

    @Override
    public String describe() {
        return "memory of this process (no store on the class path)";
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public synchronized Admission acquire(
            String holder, UUID runId, String runName, Collection<String> tags, Duration lease) {
        List<Limit> taking = new ArrayList<>(tags.size());
        for (String tag : tags) {
            Limit l = limits.get(tag);
            if (l == null || l.holders.containsKey(runId)) {
                continue;
            }
            if (l.limit == 0) {
                return Admission.zero(tag);
            }
            if (l.holders.size() >= l.limit) {
                return Admission.full(tag, l.limit, new ArrayList<>(l.holders.keySet()));
            }
            taking.add(l);
        }
        Instant now = clock.instant();
        for (Limit l : taking) {
            l.holders.put(runId, ConcurrencyLimit.Slot.held(runId, runName, holder, now));
        }
        return Admission.GRANTED;
    }

    @Override
    public synchronized void release(UUID runId) {
        for (Limit l : limits.values()) { // a handful of limits: no index of runs to keep in step
            l.holders.remove(runId);
        }
    }

    @Override
    public void renew(String holder, Collection<UUID> runIds, Duration lease) {}

    @Override
    public synchronized ConcurrencyLimit create(String tag, int limit) {
        Instant now = clock.instant();
        Limit l = limits.get(tag);
        if (l == null) {
            l = new Limit(limit, now);
            limits.put(tag, l);
        } else {
            l.limit = limit;
            l.updated = now;
        }
        return l.view(tag);
    }

    @Override
    public synchronized Optional<ConcurrencyLimit> read(String tag) {
        Limit l = limits.get(tag);
        return l == null ? Optional.empty() : Optional.of(l.view(tag));
    }

    @Override
    public synchronized List<ConcurrencyLimit> readAll() {
        List<ConcurrencyLimit> all = new ArrayList<>(limits.size());
        limits.forEach((tag, l) -> all.add(l.view(tag)));
        return all;
    }

    @Override
    public synchronized boolean delete(String tag) {
        return limits.remove(tag) != null;
    }

    @Override
    public synchronized boolean reset(String tag) {
        Limit l = limits.get(tag);
        if (l == null) {
            return false;
        }
        l.holders.clear();
        return true;
    }

    @Override
    public void close() {}
}
