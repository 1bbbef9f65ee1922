package org.edapipeline.service.consumer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A Kafka record whose value decoded, with the ids read from its {@code metadata}.
 *
 * @param value the decoded event or command
 * @param eventId {@code metadata.eventId}: what the consumer dedupes on
 * @param correlationId {@code metadata.correlationId}, for logs and onward events
 * @param source the record as read, with its original bytes, headers and position
 * @param <T> the value type
 */
public record DecodedRecord<T extends SpecificRecord>(
    T value, UUID eventId, String correlationId, ConsumerRecord<byte[], byte[]> source) {

  public DecodedRecord {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(source, "source");
  }

  public String topic() {
    return source.topic();
  }

  public int partition() {
    return source.partition();
  }

  public long offset() {
    return source.offset();
  }

  /** The key as a UTF-8 string (the aggregate id), or null if the record had none. */
  public String key() {
    return source.key() == null ? null : new String(source.key(), StandardCharsets.UTF_8);
  }

  public Headers headers() {
    return source.headers();
  }

  @Override
  public String toString() {
    return topic() + "-" + partition() + "@" + offset() + " event " + eventId;
  }
}
