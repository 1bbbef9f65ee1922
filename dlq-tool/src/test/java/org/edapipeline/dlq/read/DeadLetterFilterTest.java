package org.edapipeline.dlq.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.serde.UnknownMagicByteException;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

  private static final Instant FAILED_AT = Instant.parse("2026-03-01T12:00:00Z");

  private final DeadLetterEntry entry = entry("payment-1", ErrorCategory.TRANSIENT, 2);

  @Test
  void shouldMatchEachCriterionOnItsOwn() {
    assertThat(DeadLetterFilter.ALL.test(entry)).isTrue();
    assertThat(
            filter(Optional.of("TimeoutException"), Set.of(), null, null, null, null).test(entry))
        .isTrue();
    assertThat(
            filter(
                    Optional.of("java.util.concurrent.TimeoutException"),
                    Set.of(),
                    null,
                    null,
                    null,
                    null)
                .test(entry))
        .isTrue();
    assertThat(filter(Optional.of("Exception"), Set.of(), null, null, null, null).test(entry))
        .isFalse();
    assertThat(
            filter(Optional.empty(), Set.of(ErrorCategory.POISON), null, null, null, null)
                .test(entry))
        .isFalse();
    assertThat(
            filter(
                    Optional.empty(),
                    Set.of(ErrorCategory.TRANSIENT, ErrorCategory.POISON),
                    null,
                    null,
                    null,
                    null)
                .test(entry))
        .isTrue();
    assertThat(filter(Optional.empty(), Set.of(), FAILED_AT, null, null, null).test(entry))
        .as("from is inclusive")
        .isTrue();
    assertThat(filter(Optional.empty(), Set.of(), null, FAILED_AT, null, null).test(entry))
        .as("until is exclusive")
        .isFalse();
    assertThat(filter(Optional.empty(), Set.of(), null, null, "payment-1", null).test(entry))
        .isTrue();
    assertThat(filter(Optional.empty(), Set.of(), null, null, "payment-2", null).test(entry))
        .isFalse();
    assertThat(filter(Optional.empty(), Set.of(), null, null, null, 2).test(entry)).isTrue();
    assertThat(filter(Optional.empty(), Set.of(), null, null, null, 1).test(entry)).isFalse();
  }

  @Test
  void shouldMatchARecordThatIsNotADeadLetterOnlyWithoutCriteria() {
    DeadLetterEntry garbage =
        new DeadLetterEntry("x.dlq", 0, 1, -1, null, new UnknownMagicByteException("0x7b", null));

    assertThat(DeadLetterFilter.ALL.test(garbage)).isTrue();
    assertThat(
            filter(Optional.empty(), Set.of(ErrorCategory.POISON), null, null, null, null)
                .test(garbage))
        .isFalse();
  }

  @Test
  void shouldRefuseAnEmptyTimeRange() {
    assertThatThrownBy(() -> filter(Optional.empty(), Set.of(), FAILED_AT, FAILED_AT, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty time range");
  }

  private static DeadLetterFilter filter(
      Optional<String> errorClass,
      Set<ErrorCategory> categories,
      Instant from,
      Instant until,
      String key,
      Integer partition) {
    return new DeadLetterFilter(
        errorClass,
        categories,
        Optional.ofNullable(from),
        Optional.ofNullable(until),
        Optional.ofNullable(key),
        Optional.ofNullable(partition));
  }

  private static DeadLetterEntry entry(String key, ErrorCategory category, int sourcePartition) {
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setOriginalKey(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
            .setOriginalHeaders(List.of())
            .setSourceTopic("payment.events")
            .setSourcePartition(sourcePartition)
            .setSourceOffset(7)
            .setJobName("job")
            .setOperatorUid("op")
            .setErrorCategory(category)
            .setErrorClass("java.util.concurrent.TimeoutException")
            .setAttemptCount(3)
            .setFirstFailureAt(FAILED_AT.minusSeconds(5))
            .setLastFailureAt(FAILED_AT)
            .build();
    return new DeadLetterEntry("payment.events.dlq", 0, 3, FAILED_AT.toEpochMilli(), letter, null);
  }
}
