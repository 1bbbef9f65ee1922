package org.edapipeline.jobs.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.edapipeline.schemas.deadletter.DeadLetters;

/**
 * A consumed Kafka record exactly as it was read: key and value bytes, headers, and where it came
 * from. Kept next to the decoded event so that a record rejected anywhere in the job reaches the
 * dead-letter queue with its original bytes and provenance. A Flink POJO (arrays, no collections),
 * so no Kryo is involved.
 */
public class RawRecord {
  /** Key bytes; null if the record had no key. */
  public byte[] key;

  /** Value bytes; null for a tombstone. */
  public byte[] value;

  /** Header keys, in order (a key may repeat); parallel to {@link #headerValues}. */
  public String[] headerKeys;

  /**
   * Header values, parallel to {@link #headerKeys}; an entry is null for a header without value.
   */
  public byte[][] headerValues;

  public String topic;
  public int partition;
  public long offset;

  /** Kafka timestamp in epoch millis; negative if the record had none. */
  public long timestamp;

  /** For Flink's POJO serializer. */
  public RawRecord() {}

  /** Copies what a dead letter needs from a consumer record (the byte arrays are not copied). */
  public static RawRecord of(ConsumerRecord<byte[], byte[]> record) {
    RawRecord raw = new RawRecord();
    raw.key = record.key();
    raw.value = record.value();
    Header[] headers = record.headers().toArray();
    raw.headerKeys = new String[headers.length];
    raw.headerValues = new byte[headers.length][];
    for (int i = 0; i < headers.length; i++) {
      raw.headerKeys[i] = headers[i].key();
      raw.headerValues[i] = headers[i].value();
    }
    raw.topic = record.topic();
    raw.partition = record.partition();
    raw.offset = record.offset();
    raw.timestamp = record.timestamp();
    return raw;
  }

  /**
   * A dead-letter builder holding this record's key, value, headers (whole, in order) and
   * provenance; the caller adds who failed and why.
   */
  public DeadLetters.Builder deadLetter() {
    DeadLetters.Builder builder =
        DeadLetters.builder()
            .original(key, value)
            .source(
                topic, partition, offset, timestamp < 0 ? null : Instant.ofEpochMilli(timestamp));
    for (int i = 0; i < headerKeys.length; i++) {
      builder.header(headerKeys[i], headerValues[i]);
    }
    return builder;
  }

  /** The last value of header {@code name} as UTF-8 text, or null if absent or empty. */
  public String header(String name) {
    for (int i = headerKeys.length - 1; i >= 0; i--) {
      if (headerKeys[i].equals(name)) {
        byte[] bytes = headerValues[i];
        return bytes == null || bytes.length == 0
            ? null
            : new String(bytes, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord r
        && partition == r.partition
        && offset == r.offset
        && timestamp == r.timestamp
        && Objects.equals(topic, r.topic)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value)
        && Arrays.equals(headerKeys, r.headerKeys)
        && Arrays.deepEquals(headerValues, r.headerValues);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
