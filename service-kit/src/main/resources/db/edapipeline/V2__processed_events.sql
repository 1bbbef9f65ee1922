-- The idempotent consumer's ledger (design guide, Step 4): one row per (consumer, event) handled.
-- The primary key is what makes a redelivered event a no-op: the second insert conflicts and the
-- consumer skips the handler, in the same transaction as the handler's own writes.
CREATE TABLE processed_events (
    consumer       varchar(255) NOT NULL,
    event_id       varchar(255) NOT NULL,
    topic          varchar(255) NOT NULL,
    kafka_partition integer     NOT NULL,
    kafka_offset   bigint       NOT NULL,
    processed_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Retention purge deletes by age.
CREATE INDEX processed_events_processed_at ON processed_events (processed_at);
