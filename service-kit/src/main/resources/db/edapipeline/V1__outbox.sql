-- The transactional outbox (design guide, Step 3). A service inserts one row per event in the same
-- transaction as its state change; Debezium reads committed inserts from the WAL (pgoutput) and the
-- EventRouter publishes them to <aggregatetype>.events with key = aggregateid.
--
-- The table stays empty: OutboxWriter inserts and deletes the row in the same transaction. The insert
-- is in the WAL, which is all logical decoding needs; the publication below publishes inserts only,
-- so the delete never reaches Kafka. No purge job, no bloat, no index growth.
CREATE TABLE outbox (
    id             uuid         PRIMARY KEY,
    aggregatetype  varchar(255) NOT NULL,
    aggregateid    varchar(255) NOT NULL,
    type           varchar(255) NOT NULL,
    -- Avro in the Confluent wire format (magic byte 0, 4-byte schema id, body), published unchanged.
    -- Nullable on purpose: a NULL written by a buggy service is dead-lettered by the CDC source.
    payload        bytea,
    correlation_id varchar(255) NOT NULL,
    causation_id   varchar(255),
    traceparent    varchar(55),
    occurred_at    timestamptz  NOT NULL DEFAULT now()
);

-- The CDC source streams exactly this publication (publication.autocreate.mode=disabled), so its
-- database role needs no ownership or CREATE rights.
CREATE PUBLICATION edapipeline_outbox FOR TABLE outbox WITH (publish = 'insert');
