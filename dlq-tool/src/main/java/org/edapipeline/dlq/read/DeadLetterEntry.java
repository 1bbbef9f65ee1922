package org.edapipeline.dlq.read;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.serde.WireFormatException;

/**
 * One record of a dead-letter queue: where it sits, and the {@link DeadLetter} it holds, or why it
 * does not decode as one (a dead-letter queue is written by several programs; a bad record there is
 * reported, never a reason to stop).
 *
 * @param dlqTopic the dead-letter queue
 * @param partition its partition
 * @param offset the record's offset in it
 * @param timestamp the DLQ record's Kafka timestamp in epoch millis, -1 if none
 * @param deadLetter the decoded dead letter, or null if it did not decode
 * @param decodeError why it did not decode, or null if it did
 */
public record DeadLetterEntry(
    String dlqTopic,
    int partition,
    long offset,
    long timestamp,
    DeadLetter deadLetter,
    WireFormatException decodeError) {

  public DeadLetterEntry {
    Objects.requireNonNull(dlqTopic, "dlqTopic");
    if ((deadLetter == null) == (decodeError == null)) {
      throw new IllegalArgumentException("exactly one of deadLetter and decodeError");
    }
  }

  public boolean decoded() {
    return deadLetter != null;
  }

  /** {@code partition:offset} in the dead-letter queue, as {@code show} takes it. */
  public String position() {
    return partition + ":" + offset;
  }

  /** When the record was dead-lettered: its last failure, else the DLQ record's timestamp. */
  public Optional<Instant> failedAt() {
    if (deadLetter != null) {
      return Optional.of(deadLetter.getLastFailureAt());
    }
    return timestamp < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(timestamp));
  }

  /** The original key as UTF-8 (the aggregate id), or empty if it had none or did not decode. */
  public Optional<String> originalKey() {
    if (deadLetter == null || deadLetter.getOriginalKey() == null) {
      return Optional.empty();
    }
    return Optional.of(
        StandardCharsets.UTF_8.decode(deadLetter.getOriginalKey().duplicate()).toString());
  }
}
