package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.outputs.WindowAggregate;
import org.junit.jupiter.api.Test;

/** Our IoT job as a contender computes exactly the expected windows, in each configuration. */
class IotJobContenderITCase extends IotContenderITCaseBase {

  @Test
  void shouldWriteTheTumblingWindowsOnRocksDbExactlyOnce() throws Exception {
    List<WindowAggregate> written =
        run(
            IotJobContender.class,
            spec(
                "iot-job-rocksdb-eo",
                Map.of(
                    ContenderSpec.WINDOW, "tumbling",
                    ContenderSpec.STATE_BACKEND, "rocksdb",
                    ContenderSpec.DELIVERY, "exactly-once")),
            false);
    // Only ours computes the t-digest percentile.
    assertThat(written).allSatisfy(a -> assertThat(a.getP95()).isBetween(a.getMin(), a.getMax()));
  }

  @Test
  void shouldWriteTumblingAndSlidingWindowsOnTheHeapAtLeastOnce() throws Exception {
    run(
        IotJobContender.class,
        spec(
            "iot-job-hashmap-alo",
            Map.of(
                ContenderSpec.WINDOW, "sliding",
                ContenderSpec.STATE_BACKEND, "hashmap",
                ContenderSpec.DELIVERY, "at-least-once")),
        true);
  }
}
