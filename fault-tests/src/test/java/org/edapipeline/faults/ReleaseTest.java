package org.edapipeline.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

class ReleaseTest {
  private static final List<String> SAGA =
      List.of(
          "--saga.deadline.inventory", "15000 ms",
          "--saga.deadline.payment", "15000 ms",
          "--saga.deadline.shipment", "15000 ms",
          "--saga.deadline.delivery", "15000 ms",
          "--saga.deadline.compensation", "5 min");

  @Test
  void shouldShortenTheStepDeadlinesOfTheNextReleaseOnly() {
    assertThat(Release.CURRENT.sagaArgs(SAGA)).isEqualTo(SAGA);
    assertThat(Release.NEXT.sagaArgs(SAGA))
        .containsExactly(
            "--saga.deadline.inventory", "12000 ms",
            "--saga.deadline.payment", "12000 ms",
            "--saga.deadline.shipment", "12000 ms",
            "--saga.deadline.delivery", "12000 ms",
            "--saga.deadline.compensation", "5 min");
  }

  @Test
  void shouldChangeTheIotDedupeTtlOfTheNextRelease() {
    List<String> iot = List.of("--dedupe.ttl", "2 h", "--iot.window.size", "10 s");

    assertThat(Release.NEXT.iotArgs(iot))
        .containsExactly("--dedupe.ttl", "3 h", "--iot.window.size", "10 s");
  }

  @Test
  void shouldReadTheCurrentAuditStateWithTheNextSchema() {
    Schema current = new Schema.Parser().parse(Release.CURRENT.auditSchema());
    Schema next = new Schema.Parser().parse(Release.NEXT.auditSchema());

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(next, current).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(current.getField("partitionName")).isNotNull();
    assertThat(next.getField("partitionName")).isNull();
  }
}
