package org.edapipeline.service.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetters;
import org.edapipeline.schemas.serde.UnknownMagicByteException;
import org.edapipeline.service.consumer.DeadLetterPublisher.Failure;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherTest {

  private final DeadLetterPublisher publisher =
      new DeadLetterPublisher("payments", List.of(Topics.ORDER_EVENTS), null, null);

  @Test
  void shouldTruncateDeepStackTraces() {
    Throwable deep = recurse(500);
    String trace = DeadLetters.truncatedStackTrace(deep);
    assertThat(trace).hasSizeLessThan(DeadLetters.MAX_STACK_TRACE_CHARS + 100);
    assertThat(trace).startsWith(IllegalStateException.class.getName()).endsWith("(truncated)");
  }

  @Test
  void shouldDeadLetterARecordWithoutKeyValueHeadersOrIds() {
    ConsumerRecord<byte[], byte[]> tombstone =
        new ConsumerRecord<>(Topics.ORDER_EVENTS.name(), 2, 42L, null, null);
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    DeadLetter letter =
        publisher.build(tombstone, null, Failure.ofDecoding(new IllegalArgumentException(), at));

    assertThat(letter.getOriginalKey()).isNull();
    assertThat(letter.getOriginalValue()).isNull();
    assertThat(letter.getOriginalHeaders()).isEmpty();
    assertThat(letter.getEventId()).isNull();
    assertThat(letter.getCorrelationId()).isNull();
    assertThat(letter.getErrorMessage()).isNull();
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(42L);
    assertThat(letter.getOperatorUid()).isEqualTo(DeadLetterPublisher.OPERATOR_UID);
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.POISON);
  }

  @Test
  void shouldCategorizeFailuresAsTheJobsDo() {
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    assertThat(
            Failure.ofDecoding(new UnknownMagicByteException("magic byte 0x7b", null), at)
                .category())
        .isEqualTo(ErrorCategory.POISON);
    assertThat(
            Failure.ofDecoding(new EventMetadataReader.MissingEventIdException("no id"), at)
                .category())
        .as("decodes, but breaks the consumer's rule")
        .isEqualTo(ErrorCategory.PERMANENT);
    assertThat(Failure.ofHandling(new IllegalStateException("declined"), 3, at, at).category())
        .isEqualTo(ErrorCategory.PERMANENT);
    assertThat(
            Failure.ofHandling(
                    new RuntimeException(new SocketTimeoutException("provider slow")), 3, at, at)
                .category())
        .as("retries of a timeout exhausted: replay once the dependency is back")
        .isEqualTo(ErrorCategory.TRANSIENT);
  }

  private static Throwable recurse(int depth) {
    return depth == 0 ? new IllegalStateException("deep") : recurse(depth - 1);
  }
}
