package org.edapipeline.bench.connect;

/**
 * One outbox row as logical decoding delivered it: the columns of {@code V1__outbox.sql} the
 * publisher needs (null where the column was NULL).
 */
record OutboxInsert(
    String id,
    String aggregateType,
    String aggregateId,
    String eventType,
    byte[] payload,
    String correlationId,
    String causationId,
    String traceparent) {}
