package org.edapipeline.bench.harness;

import java.util.List;

/**
 * Where a contender's CPU goes, by kind of work: a JFR execution sample belongs to a centre when
 * any frame of its stack matches one of the centre's patterns (inclusive, so one sample can count
 * for several centres, e.g. Avro encoding inside the Kafka producer's serializer). Top frames alone
 * ({@link HotMethods}) scatter the same cost over dozens of small methods; these sums say which
 * part of a pipeline costs what, comparably across contenders.
 *
 * <p>A pattern is a class-name prefix, or {@code prefix#method} to match one method name only (e.g.
 * the {@code copy} of Flink's serializers, without the operator that a chained output calls right
 * after copying).
 */
public enum CostCentre {
  KAFKA_CONSUMER(
      "Kafka consumer (fetch, decompress, iterate records)", "org.apache.kafka.clients.consumer."),
  KAFKA_PRODUCER(
      "Kafka producer (append, send, transactions)", "org.apache.kafka.clients.producer."),
  AVRO_DECODE(
      "Avro decoding",
      "org.apache.avro.generic.GenericDatumReader",
      "org.apache.avro.specific.SpecificDatumReader"),
  AVRO_ENCODE(
      "Avro encoding",
      "org.apache.avro.generic.GenericDatumWriter",
      "org.apache.avro.specific.SpecificDatumWriter"),
  FLINK_NETWORK(
      "Flink: records (de)serialized between tasks",
      "org.apache.flink.runtime.io.network.api.serialization.",
      "org.apache.flink.runtime.io.network.api.writer.RecordWriter"),
  FLINK_COPY(
      "Flink: records copied between chained operators",
      "org.apache.flink.api.java.typeutils.runtime.PojoSerializer#copy",
      "org.apache.flink.api.java.typeutils.runtime.TupleSerializer#copy",
      "org.apache.flink.formats.avro.typeutils.AvroSerializer#copy",
      "org.apache.flink.api.common.typeutils.base.ListSerializer#copy"),
  FLINK_SQL("Flink SQL runtime (generated code, binary rows)", "org.apache.flink.table."),
  ROCKSDB(
      "RocksDB state (JNI and key/value bytes)", "org.rocksdb.", "org.apache.flink.state.rocksdb."),
  HEAP_STATE(
      "Flink heap state and state TTL",
      "org.apache.flink.runtime.state.heap.",
      "org.apache.flink.runtime.state.ttl."),
  CHECKPOINTS(
      "Flink checkpoints and snapshots",
      "org.apache.flink.runtime.checkpoint.",
      "org.apache.flink.runtime.state.SnapshotStrategyRunner",
      "org.apache.flink.runtime.state.AsyncSnapshotCallable"),
  TIMERS("Flink timers", "org.apache.flink.streaming.api.operators.InternalTimerServiceImpl"),
  STREAMS_STATE("Kafka Streams state stores and record caches", "org.apache.kafka.streams.state."),
  T_DIGEST("t-digest (percentiles)", "com.tdunning."),
  TRACING(
      "Tracing (OpenTelemetry, trace context)",
      "io.opentelemetry.",
      "org.edapipeline.schemas.trace."),
  METRICS(
      "Metrics",
      "org.apache.flink.metrics.",
      "org.apache.flink.runtime.metrics.",
      "org.apache.kafka.common.metrics."),
  LOGGING("Logging", "org.apache.logging.", "org.slf4j."),
  DEBEZIUM("Debezium (decoding, change events, SMTs)", "io.debezium."),
  CONNECT_RUNTIME(
      "Kafka Connect runtime (records, headers, converters, worker)", "org.apache.kafka.connect."),
  PGJDBC("PgJDBC (replication stream)", "org.postgresql.");

  private final String label;
  private final List<String> patterns;

  CostCentre(String label, String... patterns) {
    this.label = label;
    this.patterns = List.of(patterns);
  }

  /** What the report calls it. */
  public String label() {
    return label;
  }

  /** Whether a frame of {@code type}'s {@code method} belongs to this centre. */
  public boolean matches(String type, String method) {
    for (String pattern : patterns) {
      int hash = pattern.indexOf('#');
      if (hash < 0
          ? type.startsWith(pattern)
          : type.equals(pattern.substring(0, hash)) && method.equals(pattern.substring(hash + 1))) {
        return true;
      }
    }
    return false;
  }
}
