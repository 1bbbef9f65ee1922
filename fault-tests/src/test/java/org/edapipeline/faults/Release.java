package org.edapipeline.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.edapipeline.jobs.common.Sourced;

/**
 * The version of the jobs the suite deploys. The savepoint run (fault 6) stops the {@link #CURRENT}
 * release with a savepoint and restores it as the {@link #NEXT} one, without allowNonRestoredState,
 * as a real release would be deployed; every later run keeps the next release. Both are built from
 * the same jobs jar: the next release differs the way a release does in its topology and its
 * configuration, plus a state type that gains a field:
 *
 * <ul>
 *   <li><b>topology</b>: an operator added with a new uid ({@link RecordCounter} after the saga's
 *       orders source and the IoT job's readings source), not chained, so the sources' chains
 *       change too;
 *   <li><b>configuration</b>: the saga's step deadlines 20% shorter for sagas that start after the
 *       restore (the timers pending in the savepoint keep their time, and must fire once); the IoT
 *       job's dedupe TTL 2 h → 3 h;
 *   <li><b>state type</b>: the {@link InputAudit}'s Avro state record loses a field (Flink migrates
 *       the entries on restore).
 * </ul>
 *
 * <p>Not covered: a field <em>added</em> to a state type. Flink 2.2's Avro serializer migrates
 * {@code GenericRecord} state by writing the record read with the old schema with the new schema's
 * writer, which fails for an added field ({@code ArrayIndexOutOfBoundsException} at restore); a
 * field added to the jobs' own state classes (the saga's {@code SagaState} POJO, the IoT records)
 * needs a second build of those classes, which one test JVM cannot hold beside the first (see the
 * README).
 */
enum Release {
  CURRENT(
      "{\"type\":\"record\",\"name\":\"InputAudit\",\"namespace\":\"org.edapipeline.faults\","
          + "\"fields\":[{\"name\":\"records\",\"type\":\"long\"},"
          + "{\"name\":\"lastOffset\",\"type\":\"long\",\"default\":-1},"
          + "{\"name\":\"partitionName\",\"type\":\"string\",\"default\":\"\"}]}"),
  NEXT(
      "{\"type\":\"record\",\"name\":\"InputAudit\",\"namespace\":\"org.edapipeline.faults\","
          + "\"fields\":[{\"name\":\"records\",\"type\":\"long\"},"
          + "{\"name\":\"lastOffset\",\"type\":\"long\",\"default\":-1}]}");

  /** How much shorter the next release's saga step deadlines are. */
  static final double NEXT_DEADLINE_FACTOR = 0.8;

  private static final List<String> STEP_DEADLINES =
      List.of(
          "--saga.deadline.inventory",
          "--saga.deadline.payment",
          "--saga.deadline.shipment",
          "--saga.deadline.delivery");

  private final String auditSchema;

  Release(String auditSchema) {
    this.auditSchema = auditSchema;
  }

  /** The Avro schema of the {@link InputAudit}'s state in this release. */
  String auditSchema() {
    return auditSchema;
  }

  /**
   * The saga job's options in this release, from the current release's {@code args} ({@code --key
   * value} pairs, step deadlines in milliseconds: {@code "15000 ms"}).
   */
  List<String> sagaArgs(List<String> args) {
    if (this == CURRENT) {
      return args;
    }
    List<String> next = new ArrayList<>(args);
    for (String key : STEP_DEADLINES) {
      int at = next.indexOf(key) + 1;
      long millis = Long.parseLong(next.get(at).replace(" ms", ""));
      next.set(at, Math.round(millis * NEXT_DEADLINE_FACTOR) + " ms");
    }
    return next;
  }

  /** The IoT job's options in this release, from the current release's. */
  List<String> iotArgs(List<String> args) {
    return this == CURRENT ? args : replace(args, Map.of("--dedupe.ttl", "3 h"));
  }

  /**
   * The saga's orders input in this release: the audit branch in both, the added operator in the
   * next one.
   */
  <T> DataStream<Sourced<T>> sagaOrders(DataStream<Sourced<T>> orders) {
    audit(orders, "orders");
    return this == CURRENT ? orders : counted(orders, "orders");
  }

  /** The IoT job's readings input in this release. */
  <T> DataStream<T> iotReadings(DataStream<T> readings) {
    return this == CURRENT ? readings : counted(readings, "readings");
  }

  private <T> void audit(DataStream<Sourced<T>> input, String name) {
    input
        .keyBy(InputAudit::partitionOf, Types.STRING)
        .process(new InputAudit<T>(this), Types.VOID)
        .uid("input-audit-" + name)
        .name("Input audit (" + name + ")")
        .sinkTo(new DiscardingSink<>())
        .uid("input-audit-sink-" + name)
        .name("Input audit discarded (" + name + ")");
  }

  private static <T> DataStream<T> counted(DataStream<T> input, String name) {
    return input
        .map(new RecordCounter<T>(), input.getType())
        .uid("next-release-counter-" + name)
        .name("Records counted (" + name + ", next release)")
        .disableChaining();
  }

  private static List<String> replace(List<String> args, Map<String, String> values) {
    List<String> replaced = new ArrayList<>(args);
    values.forEach(
        (key, value) -> {
          int at = replaced.indexOf(key);
          if (at < 0) {
            throw new IllegalArgumentException("No option " + key + " to change in " + args);
          }
          replaced.set(at + 1, value);
        });
    return replaced;
  }
}
