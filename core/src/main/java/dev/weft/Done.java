package dev.weft;

import java.util.List;

/**
 * What {@link TaskFuture#waitAll} found when it returned (Prefect's {@code DoneAndNotDoneFutures}): the
 * futures whose runs had ended, in any final state, and those still in flight. Each list keeps the order
 * of the futures given, and a future given more than once appears once per occurrence.
 *
 * <p>Immutable and thread-safe; the lists cannot be modified. The split is a snapshot: a future in
 * {@code notDone} may have ended since.
 *
 * @param done the futures whose runs had reached a final state: completed, failed, crashed or cancelled
 * @param notDone the futures whose runs had not, empty when every run ended in time
 * @param <T> the type of the runs' values
 */
public record Done<T>(List<TaskFuture<T>> done, List<TaskFuture<T>> notDone) {

    /**
     * Creates the split, copying the lists.
     *
     * @param done the futures whose runs had ended
     * @param notDone the futures whose runs had not
     * @throws NullPointerException if a list or one of its futures is null
     */
    public Done {
        done = List.copyOf(done);
        notDone = List.copyOf(notDone);
    }

    /**
     * Returns whether every run had ended, that is whether {@link #notDone()} is empty. An ended run may
     * still have failed: check each future's {@link TaskFuture#state() state}.
     *
     * @return true if no future is in flight
     */
    public boolean allDone() {
        return notDone.isEmpty();
    }
}
