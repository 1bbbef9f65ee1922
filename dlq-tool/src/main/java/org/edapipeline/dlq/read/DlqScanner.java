package org.edapipeline.dlq.read;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.edapipeline.dlq.DlqException;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.WireFormatException;

/**
 * Reads a bounded range of a dead-letter queue with a {@code read_committed} byte-array consumer
 * (manually assigned; the caller commits, if anything), decoding each value as a {@link
 * DeadLetter}. A scan ends at offsets fixed when it starts, so it terminates while jobs keep
 * writing. Not thread-safe, like the consumer it drives.
 */
public final class DlqScanner {

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final AvroWireDeserializer<DeadLetter> decoder;
  private final Duration idleTimeout;

  /** What to do with each record; false stops the scan after this record. */
  @FunctionalInterface
  public interface Visitor {
    boolean visit(DeadLetterEntry entry) throws Exception;
  }

  /**
   * @param consumer a {@code read_committed} byte-array consumer, owned by the caller
   * @param decoder decodes values; owned by the caller
   * @param idleTimeout how long a scan waits without any progress before it fails
   */
  public DlqScanner(
      Consumer<byte[], byte[]> consumer,
      AvroWireDeserializer<DeadLetter> decoder,
      Duration idleTimeout) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
  }

  /**
   * The partitions of {@code topic} with their log start and last stable offsets, by partition.
   *
   * @throws DlqException if the topic does not exist
   */
  public Map<TopicPartition, OffsetRange> bounds(String topic) {
    List<PartitionInfo> partitions = consumer.partitionsFor(topic, idleTimeout);
    if (partitions == null || partitions.isEmpty()) {
      throw new DlqException("Topic " + topic + " does not exist");
    }
    List<TopicPartition> tps =
        partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(tps, idleTimeout);
    Map<TopicPartition, Long> ends = consumer.endOffsets(tps, idleTimeout);
    Map<TopicPartition, OffsetRange> bounds =
        new TreeMap<>(
            (a, b) ->
                a.topic().equals(b.topic())
                    ? Integer.compare(a.partition(), b.partition())
                    : a.topic().compareTo(b.topic()));
    for (TopicPartition tp : tps) {
      long start = starts.get(tp);
      bounds.put(tp, new OffsetRange(start, Math.max(start, ends.get(tp))));
    }
    return bounds;
  }

  /**
   * Visits, partition by partition interleaved as Kafka returns them, every committed record from
   * {@code from} (inclusive) to {@code until} (exclusive) of each partition.
   *
   * @return true if every partition was read to its end, false if the visitor stopped the scan
   * @throws DlqException if no progress is made for the idle timeout, or the visitor throws
   */
  public boolean scan(
      Map<TopicPartition, Long> from, Map<TopicPartition, Long> until, Visitor visitor) {
    Map<TopicPartition, Long> remaining = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> start : from.entrySet()) {
      Long end = until.get(start.getKey());
      if (end != null && start.getValue() < end) {
        remaining.put(start.getKey(), end);
      }
    }
    consumer.assign(remaining.keySet());
    consumer.resume(consumer.paused()); // a partition paused by an earlier scan
    remaining.keySet().forEach(tp -> consumer.seek(tp, from.get(tp)));
    long lastProgress = System.nanoTime();
    while (!remaining.isEmpty()) {
      ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
      for (ConsumerRecord<byte[], byte[]> record : records) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Long end = remaining.get(tp);
        if (end == null || record.offset() >= end) {
          continue; // past the snapshot: written after the scan started
        }
        if (!visit(visitor, entry(record))) {
          return false;
        }
      }
      boolean progressed = !records.isEmpty();
      for (TopicPartition tp : List.copyOf(remaining.keySet())) {
        if (consumer.position(tp) >= remaining.get(tp)) {
          remaining.remove(tp); // transaction markers and aborted records count as read
          consumer.pause(List.of(tp));
          progressed = true;
        }
      }
      if (progressed) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > idleTimeout.toNanos()) {
        throw new DlqException(
            "No records from " + remaining.keySet() + " for " + idleTimeout + ": is Kafka up?");
      }
    }
    return true;
  }

  /** Decodes one record; a value that is not a dead letter becomes an entry with its error. */
  public DeadLetterEntry entry(ConsumerRecord<byte[], byte[]> record) {
    try {
      return new DeadLetterEntry(
          record.topic(),
          record.partition(),
          record.offset(),
          record.timestamp(),
          decoder.decode(record.value()),
          null);
    } catch (WireFormatException e) {
      return new DeadLetterEntry(
          record.topic(), record.partition(), record.offset(), record.timestamp(), null, e);
    }
  }

  private static boolean visit(Visitor visitor, DeadLetterEntry entry) {
    try {
      return visitor.visit(entry);
    } catch (DlqException | IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new DlqException(
          "Stopped at " + entry.dlqTopic() + " " + entry.position() + ": " + e.getMessage(), e);
    }
  }
}
