package dev.weft.dashboard;

import dev.weft.spi.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest task runs of one flow run to end, numbered in the order the dashboard first saw each, so
 * that a page can be sent only the runs it has not seen yet. Holds at most {@link Pages#STREAM_MAX} runs;
 * the oldest seen go first.
 *
 * <p>Thread-safe: the poller updates it while pages read it.
 */
final class TaskStream {
    private record Seen(long seq, RunRecord run) {}

    /** By run name, in the order seen: oldest first. */
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();

    private long seq;
    /** The number of the last run seen before the stream was last cleared: a page behind it starts over. */
    private long clearedAt;

    /**
     * Takes in the latest task runs read from the history; those new or changed since the last update get
     * the next numbers, oldest first.
     *
     * @param newestFirst the latest task runs, as {@link dev.weft.spi.RunHistory#latestTaskRuns} lists them
     */
    synchronized void update(List<RunRecord> newestFirst) {
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            RunRecord r = newestFirst.get(i);
            Seen known = seen.get(r.name());
            if (known == null || !known.run().equals(r)) {
                seen.remove(r.name()); // so that it moves to the end, as the newest seen
                seen.put(r.name(), new Seen(++seq, r));
            }
        }
        while (seen.size() > Pages.STREAM_MAX) {
            seen.pollFirstEntry();
        }
    }

    /** Forgets every run seen: the stream is of another flow run now. */
    synchronized void clear() {
        seen.clear();
        clearedAt = seq;
    }

    /**
     * Says whether a page that has the runs up to {@code after} has a stream that is not this one anymore,
     * and must start over.
     *
     * @param after the number of the last run the page has
     * @return whether it must start over
     */
    synchronized boolean clearedSince(long after) {
        return after < clearedAt;
    }

    /**
     * Returns the number of the last run seen.
     *
     * @return 0 if none yet
     */
    synchronized long last() {
        return seq;
    }

    /**
     * Writes the runs seen after {@code after}, the newest {@code max} of them, oldest first, as a JSON
     * array of bars ({@link Pages#bar}).
     *
     * @param j where to write
     * @param after the number of the last run the page has
     * @param max the most runs to write
     * @return the number of the last run written, or {@code after} if none
     */
    synchronized long writeSince(Json j, long after, int max) {
        List<Seen> newer = new ArrayList<>(Math.min(max, seen.size()));
        for (Map.Entry<String, Seen> e : seen.sequencedEntrySet().reversed()) {
            if (e.getValue().seq() <= after || newer.size() == max) {
                break;
            }
            newer.add(e.getValue());
        }
        j.beginArray();
        for (int i = newer.size() - 1; i >= 0; i--) {
            Pages.bar(j, newer.get(i).seq(), newer.get(i).run());
        }
        j.endArray();
        return newer.isEmpty() ? after : newer.getFirst().seq();
    }
}
