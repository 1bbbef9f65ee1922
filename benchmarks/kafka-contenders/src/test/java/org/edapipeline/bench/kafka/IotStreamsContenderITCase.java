package org.edapipeline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.junit.jupiter.api.Test;

/**
 * The Kafka Streams IoT contender emits exactly the expected windows, once each, as they close
 * (readings out of order within the bound included, an undecodable record skipped).
 */
class IotStreamsContenderITCase extends IotContenderTestBase {

  @Test
  void shouldEmitEveryTumblingWindowOnceWhenItCloses() throws Exception {
    IotInput input = new IotInput(IotInput.WINDOW, PARTITIONS);
    long minute = IotInput.WINDOW.toMillis();
    List<String> expected = input.expected("TUMBLING", minute, minute);

    List<String> actual = run(input, "tumbling", expected.size(), IotStreamsContender::create);

    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void shouldEmitTumblingAndHoppingWindowsWhenSliding() throws Exception {
    IotInput input = new IotInput(IotInput.WINDOW.multipliedBy(5), PARTITIONS);
    long minute = IotInput.WINDOW.toMillis();
    List<String> expected = new ArrayList<>(input.expected("TUMBLING", minute, minute));
    expected.addAll(input.expected("SLIDING", 5 * minute, minute));

    List<String> actual = run(input, "sliding", expected.size(), IotStreamsContender::create);

    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void shouldNameTheKeyOfABadSpec() throws Exception {
    Map<String, String> keys = iotKeys("tumbling");
    keys.put(ContenderSpec.OUT_OF_ORDERNESS_MS, "ten seconds");
    ContenderSpec spec = spec(keys);

    assertThatThrownBy(() -> IotStreamsContender.create(spec, () -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ContenderSpec.OUT_OF_ORDERNESS_MS);
  }
}
