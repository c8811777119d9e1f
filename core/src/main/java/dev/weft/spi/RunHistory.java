package dev.weft.spi;

import dev.weft.StateType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the run history goes and is read from: the store's database, or this process's memory. The
 * engine's recorder writes to it from one thread of its own, in batches, never from a task's thread.
 * Implementations are safe for one writer and any number of readers at once.
 */
public interface RunHistory extends AutoCloseable {

    /**
     * Writes a batch of records, each replacing an earlier record of the same run. Called by one thread at
     * a time.
     *
     * @param batch the records, in the order the runs reached their states
     * @throws StoreException if the store cannot take them
     */
    void write(List<RunRecord> batch);

    /**
     * Writes a batch as {@link #write} does, where each task run's record is the first and only one of
     * its run, as the engine writes them: once, when the run ends. A history may then keep task runs
     * without looking for an earlier record of each (the store packs them many to a row); a task run
     * given here that was written before may be listed and counted twice. Flow runs' records in the batch
     * replace earlier ones as in {@link #write}. The default writes the batch with {@link #write}.
     *
     * @param batch the records, in the order the runs reached their states
     * @throws StoreException if the store cannot take them
     */
    default void append(List<RunRecord> batch) {
        write(batch);
    }

    /**
     * Lists flow runs, newest first.
     *
     * @param query which ones
     * @return their records
     * @throws StoreException if the store cannot be read
     */
    List<RunRecord> flowRuns(RunQuery query);

    /**
     * Finds one flow run by its id, or by its name (the newest of that name).
     *
     * @param nameOrId its name or id
     * @return its record, or empty if the history has none
     * @throws StoreException if the store cannot be read
     */
    Optional<RunRecord> flowRun(String nameOrId);

    /**
     * Lists the task runs of a flow run, in the order they started (those that never started last).
     *
     * @param flowRunId the flow run's id
     * @param state only those in this state, or null for all
     * @param limit the most to return
     * @return their records
     * @throws StoreException if the store cannot be read
     */
    List<RunRecord> taskRuns(String flowRunId, StateType state, int limit);

    /**
     * Lists the task runs of a flow run that ended last, the newest first: for a live view of a large run.
     *
     * @param flowRunId the flow run's id
     * @param limit the most to return
     * @return their records
     * @throws StoreException if the store cannot be read
     */
    List<RunRecord> latestTaskRuns(String flowRunId, int limit);

    /**
     * Counts the task runs of a flow run by state, without reading them.
     *
     * @param flowRunId the flow run's id
     * @return the count of each state that has runs
     * @throws StoreException if the store cannot be read
     */
    Map<StateType, Long> countTaskRuns(String flowRunId);

    /**
     * Removes flow runs and their task runs and subflow runs. Runs still running are kept.
     *
     * @param query which flow runs; its limit is ignored
     * @return how many flow runs were removed
     * @throws StoreException if the store cannot be written
     */
    int remove(RunQuery query);

    /**
     * Describes where the history is kept, for messages: {@code SQLite file ~/.weft/weft.db}.
     *
     * @return the description
     */
    String describe();

    /** Releases what the history holds open; the default holds nothing. */
    @Override
    default void close() {}
}
