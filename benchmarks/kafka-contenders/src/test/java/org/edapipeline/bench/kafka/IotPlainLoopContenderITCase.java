package org.edapipeline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.edapipeline.bench.contract.ContenderSpec;
import org.junit.jupiter.api.Test;

/**
 * The plain kafka-clients loop emits exactly the expected tumbling windows, once each, as its
 * partitions' watermarks close them (readings out of order within the bound included, an
 * undecodable record skipped).
 */
class IotPlainLoopContenderITCase extends IotContenderTestBase {

  @Test
  void shouldEmitEveryTumblingWindowOnceWhenItCloses() throws Exception {
    IotInput input = new IotInput(IotInput.WINDOW, PARTITIONS);
    long minute = IotInput.WINDOW.toMillis();
    List<String> expected = input.expected("TUMBLING", minute, minute);

    List<String> actual =
        run(
            input,
            "tumbling",
            expected.size(),
            (spec, ready) -> new IotPlainLoopContender(IotSettings.from(spec), ready));

    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void shouldRefuseSlidingWindowsAtStart() throws Exception {
    ContenderSpec spec = spec(iotKeys("sliding"));

    assertThatThrownBy(() -> new IotPlainLoopContender(IotSettings.from(spec), () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ContenderSpec.WINDOW);
  }
}
