package org.edapipeline.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.serde.UnknownMagicByteException;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private static final UUID EVENT_ID = UUID.fromString("5b0e6e8e-2f4a-4c62-9f0e-7a3c1d2e4f50");

  private static ConsumerRecord<byte[], byte[]> record() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(EventHeaders.EVENT_ID, EVENT_ID.toString().getBytes(StandardCharsets.UTF_8));
    headers.add(EventHeaders.CORRELATION_ID, "corr-1".getBytes(StandardCharsets.UTF_8));
    headers.add(EventHeaders.REPLAY_COUNT, "2".getBytes(StandardCharsets.UTF_8));
    headers.add("empty", null);
    return new ConsumerRecord<>(
        "order.events",
        2,
        17L,
        1_700_000_000_000L,
        TimestampType.CREATE_TIME,
        3,
        3,
        "key".getBytes(StandardCharsets.UTF_8),
        new byte[] {1, 2, 3},
        headers,
        java.util.Optional.empty());
  }

  @Test
  void shouldKeepTheOriginalRecordHeadersAndProvenance() {
    Instant first = Instant.parse("2026-01-01T00:00:00Z");
    Instant last = Instant.parse("2026-01-01T00:00:03Z");
    DeadLetter letter =
        DeadLetters.from(record())
            .failedIn("job", "op")
            .error(new IllegalStateException("boom"))
            .attempts(3, first, last)
            .build();

    assertThat(letter.getOriginalKey()).isEqualTo(ByteBuffer.wrap("key".getBytes()));
    assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(letter.getOriginalHeaders())
        .extracting(h -> h.getKey())
        .containsExactly(
            EventHeaders.EVENT_ID, EventHeaders.CORRELATION_ID, EventHeaders.REPLAY_COUNT, "empty");
    assertThat(letter.getOriginalHeaders().get(3).getValue()).isNull();
    assertThat(letter.getSourceTopic()).isEqualTo("order.events");
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(17L);
    assertThat(letter.getSourceTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(letter.getJobName()).isEqualTo("job");
    assertThat(letter.getOperatorUid()).isEqualTo("op");
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.PERMANENT);
    assertThat(letter.getErrorClass()).isEqualTo(IllegalStateException.class.getName());
    assertThat(letter.getErrorMessage()).isEqualTo("boom");
    assertThat(letter.getStackTrace()).contains("DeadLettersTest");
    assertThat(letter.getAttemptCount()).isEqualTo(3);
    assertThat(letter.getFirstFailureAt()).isEqualTo(first);
    assertThat(letter.getLastFailureAt()).isEqualTo(last);
    assertThat(letter.getEventId()).isEqualTo(EVENT_ID);
    assertThat(letter.getCorrelationId()).isEqualTo("corr-1");
  }

  @Test
  void shouldPreferIdsFromTheDecodedRecordAndClassifyTheError() {
    UUID other = UUID.randomUUID();
    DeadLetter letter =
        DeadLetters.from(record())
            .failedIn("job", "op")
            .error(new UnknownMagicByteException("magic 7", null))
            .eventId(other)
            .correlationId("corr-2")
            .build();
    assertThat(letter.getEventId()).isEqualTo(other);
    assertThat(letter.getCorrelationId()).isEqualTo("corr-2");
    assertThat(letter.getErrorCategory()).isEqualTo(ErrorCategory.POISON);
    assertThat(letter.getAttemptCount()).isEqualTo(1);
    assertThat(letter.getFirstFailureAt()).isEqualTo(letter.getLastFailureAt());
  }

  @Test
  void shouldCutLongStackTracesAndMaskSecrets() {
    Throwable deep = new IllegalStateException("password=secret");
    for (int i = 0; i < 400; i++) {
      deep = new RuntimeException("level " + i + " password=secret", deep);
    }
    DeadLetter letter =
        DeadLetters.builder()
            .source("iot.readings", 0, 1, null)
            .failedIn("job", "op")
            .error(deep)
            .masking(text -> text.replace("secret", "***"))
            .build();
    assertThat(letter.getStackTrace())
        .hasSize(DeadLetters.MAX_STACK_TRACE_CHARS + DeadLetters.TRUNCATED.length())
        .doesNotContain("secret");
    assertThat(letter.getErrorMessage()).doesNotContain("secret");
    assertThat(letter.getOriginalHeaders()).isEmpty();
    assertThat(letter.getEventId()).isNull();
  }

  @Test
  void shouldRefuseALetterWithoutItsSource() {
    assertThatThrownBy(
            () -> DeadLetters.builder().failedIn("j", "o").error(new RuntimeException()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("source topic");
  }
}
