package org.edapipeline.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.outputs.WindowAggregate;
import org.junit.jupiter.api.Test;

/** The Flink SQL window TVFs compute the same windows as our job, TUMBLE alone and with HOP. */
class IotSqlContenderITCase extends IotContenderITCaseBase {

  @Test
  void shouldWriteTheTumblingWindows() throws Exception {
    List<WindowAggregate> written =
        run(
            IotSqlContender.class,
            spec("iot-sql-tumbling", Map.of(ContenderSpec.WINDOW, "tumbling")),
            false);
    assertThat(written).allSatisfy(a -> assertThat(a.getP95()).isNaN());
  }

  @Test
  void shouldWriteTumblingAndHoppingWindowsInOneQuery() throws Exception {
    run(
        IotSqlContender.class,
        spec("iot-sql-sliding", Map.of(ContenderSpec.WINDOW, "sliding")),
        true);
  }
}
