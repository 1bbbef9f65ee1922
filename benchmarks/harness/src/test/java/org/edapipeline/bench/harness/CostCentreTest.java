package org.edapipeline.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CostCentreTest {

  @Test
  void shouldMatchAClassPrefix() {
    assertThat(
            CostCentre.AVRO_ENCODE.matches(
                "org.apache.avro.generic.GenericDatumWriter", "writeWithoutConversion"))
        .isTrue();
    assertThat(CostCentre.ROCKSDB.matches("org.rocksdb.RocksDB", "get")).isTrue();
    assertThat(CostCentre.ROCKSDB.matches("org.apache.flink.runtime.state.heap.X", "get"))
        .isFalse();
  }

  @Test
  void shouldMatchOnlyTheNamedMethodOfAClass() {
    String pojo = "org.apache.flink.api.java.typeutils.runtime.PojoSerializer";

    assertThat(CostCentre.FLINK_COPY.matches(pojo, "copy")).isTrue();
    assertThat(CostCentre.FLINK_COPY.matches(pojo, "serialize")).isFalse();
    assertThat(CostCentre.FLINK_COPY.matches(pojo + "Snapshot", "copy")).isFalse();
  }
}
