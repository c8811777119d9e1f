-- Task runs packed many to a row: what the engine writes, once per task run as it ends, a batch of a flow
-- run's task runs in one row, so that a SQLite file takes a million task runs a second where it takes a
-- few hundred thousand rows. The rows of weft_task_run stay, for the records written one by one, and every
-- read takes both. The columns beside the data let reads skip packs: the counts by state (0 PENDING ...
-- 7 CANCELLED, as in weft_task_run), the earliest start and the latest end. The data's format is
-- dev.weft.store.TaskPacks's; BYTEA is PostgreSQL's bytes, and SQLite keeps bytes as they are in any
-- column.

CREATE TABLE weft_task_pack (
    run_key           BIGINT  NOT NULL,
    runs              INTEGER NOT NULL,
    n_pending         INTEGER NOT NULL,
    n_queued          INTEGER NOT NULL,
    n_running         INTEGER NOT NULL,
    n_awaiting_retry  INTEGER NOT NULL,
    n_completed       INTEGER NOT NULL,
    n_failed          INTEGER NOT NULL,
    n_crashed         INTEGER NOT NULL,
    n_cancelled       INTEGER NOT NULL,
    -- the earliest start of its runs, NULL if none started; the latest end
    started_min_us    BIGINT,
    ended_max_us      BIGINT  NOT NULL,
    data              BYTEA   NOT NULL
);

CREATE INDEX weft_task_pack_run ON weft_task_pack (run_key, ended_max_us);
