package org.edapipeline.service.consumer;

import java.sql.Connection;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a service does with one event: change its state, and write the events that follow through
 * the {@code OutboxWriter}, all on the given connection.
 *
 * <p>The connection is inside the transaction that also records the event as processed: do not
 * commit, roll back, close it or change its auto-commit mode. Throwing rolls everything back,
 * marker included; the record is then retried and, after the configured attempts, dead-lettered. A
 * transient database error (lost connection, serialization failure, deadlock) thrown by the
 * handler, also wrapped, is retried without limit and never dead-lettered.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface RecordHandler<T extends SpecificRecord> {

  /**
   * Handles one event, exactly once in effect.
   *
   * @param connection the service database, in the processing transaction
   * @param record the decoded event with its ids and Kafka position
   * @throws Exception to roll back and retry
   */
  void handle(Connection connection, DecodedRecord<T> record) throws Exception;
}
