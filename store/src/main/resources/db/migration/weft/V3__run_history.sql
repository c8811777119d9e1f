-- The run history: one row per flow run (and subflow run) and one per task run, written by the processes
-- that ran them. The same SQL runs on SQLite and PostgreSQL: ids are UUID text; times are epoch
-- microseconds from the clock of the host that ran the run, NULL where the run never started or has not
-- ended yet. A state is a number, fixed forever whatever Weft's own order of states: 0 PENDING, 1 QUEUED,
-- 2 RUNNING, 3 AWAITING_RETRY, 4 COMPLETED, 5 FAILED, 6 CRASHED, 7 CANCELLED (a number where a name would
-- cost every task run's row and index entry its bytes).

CREATE TABLE weft_flow_run (
    id         VARCHAR(36) NOT NULL PRIMARY KEY,
    parent_id  VARCHAR(36),
    name       TEXT        NOT NULL,
    flow       TEXT        NOT NULL,
    state      SMALLINT    NOT NULL,
    message    TEXT,
    started_us BIGINT,
    ended_us   BIGINT,
    -- where the run sorts among the newest: when it started, else when it ended, else 0
    listed_us  BIGINT      NOT NULL,
    runner     TEXT,
    process    TEXT
);

-- newest first, in one backward scan; the id breaks ties
CREATE INDEX weft_flow_run_listed ON weft_flow_run (listed_us, id);
CREATE INDEX weft_flow_run_name ON weft_flow_run (name);
CREATE INDEX weft_flow_run_flow ON weft_flow_run (flow);
CREATE INDEX weft_flow_run_state ON weft_flow_run (state, listed_us);
-- a flow run's subflow runs, removed with it
CREATE INDEX weft_flow_run_parent ON weft_flow_run (parent_id);
-- retention by age
CREATE INDEX weft_flow_run_ended ON weft_flow_run (ended_us);

-- A number for each flow run id that has task runs, so that the task runs' keys and index entries hold 8
-- bytes where the id would take 36: each byte there costs every one of the hundred thousand task runs a
-- second that a SQLite file takes. Numbers are drawn at random, so that a process that still knows the
-- number of a flow run removed since never meets it again on another.
CREATE TABLE weft_run_key (
    id      VARCHAR(36) NOT NULL PRIMARY KEY,
    run_key BIGINT      NOT NULL UNIQUE
);

-- Task runs carry one index beside their key, which serves every read: counts by state from the index
-- alone, the runs of a state in start order, and all runs in start order by merging the states' orders.
CREATE TABLE weft_task_run (
    run_key    BIGINT      NOT NULL,
    name       TEXT        NOT NULL,
    task       TEXT        NOT NULL,
    state      SMALLINT    NOT NULL,
    message    TEXT,
    started_us BIGINT,
    ended_us   BIGINT,
    runner     TEXT,
    worker     TEXT,
    -- the run's tags, one per line (a tag holds no control characters)
    tags       TEXT,
    PRIMARY KEY (run_key, name)
);

CREATE INDEX weft_task_run_state ON weft_task_run (run_key, state, started_us);
