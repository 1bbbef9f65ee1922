package org.edapipeline.cdc.engine;

/**
 * What the publisher knows of one outbox row after the EventRouter: where it is routed, its key,
 * payload and metadata columns, and its WAL position. Fields are null when the column was NULL.
 *
 * @param topic the topic the EventRouter routed to, {@code <aggregatetype>.events}
 * @param lsn WAL position of the row, -1 if unknown
 * @param commitMillis commit time of its transaction in PostgreSQL, -1 if unknown
 */
record OutboxRow(
    String topic,
    String eventId,
    String aggregateType,
    String aggregateId,
    String eventType,
    String correlationId,
    String causationId,
    String traceparent,
    byte[] payload,
    long lsn,
    long commitMillis) {

  /** A short description for logs: never the payload. */
  String describe() {
    return "outbox row "
        + eventId
        + " ("
        + aggregateType
        + " "
        + aggregateId
        + ", "
        + eventType
        + ")";
  }
}
