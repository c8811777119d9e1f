-- Tag concurrency limits and the slots that task runs lease on them.
-- The same SQL runs on SQLite and PostgreSQL: ids are UUID text, times are epoch milliseconds from the
-- database's clock, so that hosts with skewed clocks agree on when a lease runs out.

CREATE TABLE weft_concurrency_limit (
    id                VARCHAR(36)  NOT NULL PRIMARY KEY,
    tag               VARCHAR(255) NOT NULL UNIQUE,
    concurrency_limit INTEGER      NOT NULL CHECK (concurrency_limit >= 0),
    created_ms        BIGINT       NOT NULL,
    updated_ms        BIGINT       NOT NULL
);

-- One row per slot a run holds on a tag. seq orders a tag's holders oldest first: each new slot takes
-- one more than the tag's largest, while acquire holds the tag's limit row.
CREATE TABLE weft_concurrency_slot (
    tag         VARCHAR(255) NOT NULL,
    run_id      VARCHAR(36)  NOT NULL,
    run_name    TEXT,
    holder      TEXT         NOT NULL,
    seq         BIGINT       NOT NULL,
    acquired_ms BIGINT       NOT NULL,
    expires_ms  BIGINT       NOT NULL,
    PRIMARY KEY (tag, run_id)
);

CREATE INDEX weft_concurrency_slot_run ON weft_concurrency_slot (run_id);
CREATE INDEX weft_concurrency_slot_holder ON weft_concurrency_slot (holder);
