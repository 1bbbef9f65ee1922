package org.edapipeline.dlq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.edapipeline.outputs.DeadLetterHeader;
import org.edapipeline.schemas.EventHeaders;
import org.junit.jupiter.api.Test;

class ReplayCountTest {

  @Test
  void shouldBeZeroWithoutTheHeaderAndTheLastValueWithIt() {
    assertThat(ReplayCount.of(List.of(header("other", "7")))).hasValue(0);
    assertThat(
            ReplayCount.of(
                List.of(
                    header(EventHeaders.REPLAY_COUNT, "1"),
                    header(EventHeaders.REPLAY_COUNT, "2"))))
        .hasValue(2);
  }

  @Test
  void shouldBeUnknownForAValueThatIsNotACount() {
    assertThat(ReplayCount.of(List.of(header(EventHeaders.REPLAY_COUNT, "-1")))).isEmpty();
    assertThat(ReplayCount.of(List.of(header(EventHeaders.REPLAY_COUNT, "x")))).isEmpty();
    assertThat(ReplayCount.of(List.of(new DeadLetterHeader(EventHeaders.REPLAY_COUNT, null))))
        .isEmpty();
  }

  @Test
  void shouldEncodeAsDecimalText() {
    assertThat(new String(ReplayCount.encode(12), StandardCharsets.UTF_8)).isEqualTo("12");
  }

  private static DeadLetterHeader header(String key, String value) {
    return new DeadLetterHeader(key, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
  }
}
