-- The runs that found a tag full and wait for a slot on it, so that a slot freed in one process goes to the
-- run that has waited longest, in any process. Like a slot, a wait is a lease that its holder renews.

-- One row per run waiting, on one tag. seq orders a tag's waiters, oldest first: each new waiter takes one
-- more than the tag's largest, while acquire holds the tag's limit row.
CREATE TABLE weft_concurrency_waiter (
    tag        VARCHAR(255) NOT NULL,
    run_id     VARCHAR(36)  NOT NULL,
    run_name   TEXT,
    holder     TEXT         NOT NULL,
    seq        BIGINT       NOT NULL,
    since_ms   BIGINT       NOT NULL,
    expires_ms BIGINT       NOT NULL,
    PRIMARY KEY (tag, run_id)
);

CREATE INDEX weft_concurrency_waiter_run ON weft_concurrency_waiter (run_id);
CREATE INDEX weft_concurrency_waiter_holder ON weft_concurrency_waiter (holder);
