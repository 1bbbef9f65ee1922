package org.edapipeline.bench.flink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.iot.DeviceRegistered;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.events.iot.SensorSpec;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;

/**
 * A tiny IoT benchmark input, loaded as the harness loads it: every device registered first on
 * {@code iot.devices} (one record on each of its partitions, occurredAt = now, so the registry's
 * watermark never holds the readings back), then readings in the recent past on {@code
 * iot.readings}, spread over {@link #PARTITIONS} partitions, then one sentinel reading per
 * partition far enough after the data to close every data window. The expected aggregates are
 * computed here from the same readings.
 */
final class IotBenchInput {

  static final int PARTITIONS = 2;
  static final Duration WINDOW = Duration.ofMinutes(1);
  static final Duration BOUND = Duration.ofSeconds(10);
  static final String SENSOR = "temperature";
  static final String UNIT = "Cel";

  /** Data windows (tumbling): {@code T0} to {@code T0 + 3 min}. */
  static final int WINDOWS = 3;

  /** Start of the first data window: a whole minute, 15 minutes ago. */
  final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(15));

  private final List<Reading> readings = new ArrayList<>();

  /** One reading, written to {@code partition}. */
  record Reading(String deviceId, int partition, double value, Instant measuredAt) {}

  /** One expected aggregate (p95 aside, which only our job computes). */
  record Aggregate(
      String kind,
      String deviceId,
      Instant start,
      Instant end,
      long count,
      double min,
      double max,
      double sum) {}

  IotBenchInput() {
    // Three devices on two partitions, a few readings per window, some out of order within the
    // bound; values are integers, so sums are exact.
    String[] devices = {"d1", "d2", "d3"};
    for (int w = 0; w < WINDOWS; w++) {
      for (int d = 0; d < devices.length; d++) {
        int partition = d % PARTITIONS;
        Instant windowStart = t0.plus(WINDOW.multipliedBy(w));
        for (int i = 0; i < 3 + d; i++) {
          double value = 10 * d + w + i;
          // 50 s, 5 s, 35 s, …: out of order by less than the bound within a window.
          long second = (50 - 45L * (i % 2) + 3L * i) % 60;
          readings.add(new Reading(devices[d], partition, value, windowStart.plusSeconds(second)));
        }
      }
    }
  }

  /** The sentinel's event time: one window + the bound after the last window that must close. */
  Instant sentinelAt(boolean sliding) {
    Instant lastDataEnd = t0.plus(WINDOW.multipliedBy(WINDOWS));
    Duration after = sliding ? FlinkContenderSpec.SLIDING_SIZE : WINDOW;
    return lastDataEnd.plus(after).plus(BOUND);
  }

  /** The aggregates every contender must write: tumbling, and sliding when asked. */
  List<Aggregate> expected(boolean sliding) {
    List<Aggregate> expected = new ArrayList<>(windows("TUMBLING", WINDOW, WINDOW));
    if (sliding) {
      expected.addAll(windows("SLIDING", FlinkContenderSpec.SLIDING_SIZE, WINDOW));
    }
    return expected;
  }

  private List<Aggregate> windows(String kind, Duration size, Duration slide) {
    Map<String, Aggregate> byWindow = new HashMap<>();
    for (Reading r : readings) {
      long t = r.measuredAt().toEpochMilli();
      long lastStart = t - Math.floorMod(t, slide.toMillis());
      for (long start = lastStart; start > t - size.toMillis(); start -= slide.toMillis()) {
        String key = r.deviceId() + "/" + start;
        Instant s = Instant.ofEpochMilli(start);
        Aggregate a =
            byWindow.getOrDefault(
                key,
                new Aggregate(
                    kind,
                    r.deviceId(),
                    s,
                    s.plus(size),
                    0,
                    Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    0));
        byWindow.put(
            key,
            new Aggregate(
                kind,
                r.deviceId(),
                a.start(),
                a.end(),
                a.count() + 1,
                Math.min(a.min(), r.value()),
                Math.max(a.max(), r.value()),
                a.sum() + r.value()));
      }
    }
    return List.copyOf(byWindow.values());
  }

  /** Creates the topics afresh. */
  static void createTopics(KafkaExtension kafka) throws Exception {
    List<Topic<?, ?>> topics =
        List.of(
            Topics.IOT_READINGS,
            Topics.IOT_DEVICES,
            Topics.IOT_AGGREGATES,
            Topics.IOT_ALERTS,
            Topics.IOT_LATE,
            Topics.dlqOf(Topics.IOT_READINGS),
            Topics.dlqOf(Topics.IOT_DEVICES));
    kafka.recreateTopics(
        topics.stream()
            .map(
                t ->
                    new NewTopic(
                            t.name(),
                            t == Topics.IOT_READINGS ? PARTITIONS : t.partitions(),
                            (short) 1)
                        .configs(t.config()))
            .toList());
  }

  /** Registers the devices, then writes the readings and the sentinels. */
  void load(KafkaExtension kafka, SchemaRegistryClient registry, boolean sliding) throws Exception {
    AvroWireSerializer<SpecificRecord> devices =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .autoRegister(true)
            .build();
    AvroWireSerializer<SensorReadingRecorded> values =
        AvroWireSerializer.builder(registry).autoRegister(true).build();
    Map<String, Object> config = kafka.clientConfig();
    config.put("enable.idempotence", "true");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      Instant now = Instant.now();
      List<String> ids = new ArrayList<>(List.of("d1", "d2", "d3"));
      for (int p = 0; p < PARTITIONS; p++) {
        ids.add(sentinelDevice(p));
      }
      int devicePartitions = Topics.IOT_DEVICES.partitions();
      for (int i = 0; i < Math.max(ids.size(), devicePartitions); i++) {
        // Every partition of iot.devices gets a registration, so none stays empty (and idle).
        String id = ids.get(i % ids.size());
        producer
            .send(
                new ProducerRecord<>(
                    Topics.IOT_DEVICES.name(),
                    i % devicePartitions,
                    utf8(id),
                    devices.serialize(Topics.IOT_DEVICES.name(), registered(id, now))))
            .get();
      }
      List<Reading> all = new ArrayList<>(readings);
      for (int p = 0; p < PARTITIONS; p++) {
        all.add(new Reading(sentinelDevice(p), p, 0, sentinelAt(sliding)));
      }
      for (Reading r : all) {
        producer.send(
            new ProducerRecord<>(
                Topics.IOT_READINGS.name(),
                r.partition(),
                utf8(r.deviceId()),
                values.serialize(Topics.IOT_READINGS.name(), reading(r))));
      }
      producer.flush();
    }
  }

  private static String sentinelDevice(int partition) {
    return "sentinel-" + partition;
  }

  private static SensorReadingRecorded reading(Reading r) {
    String label = r.deviceId() + "@" + r.measuredAt() + "=" + r.value();
    return SensorReadingRecorded.newBuilder()
        .setMetadata(metadata("SensorReadingRecorded", label, r.deviceId(), r.measuredAt()))
        .setDeviceId(r.deviceId())
        .setSensorType(SENSOR)
        .setValue(r.value())
        .setUnit(UNIT)
        .setMeasuredAt(r.measuredAt())
        .build();
  }

  private static DeviceRegistered registered(String deviceId, Instant at) {
    return DeviceRegistered.newBuilder()
        .setMetadata(metadata("DeviceRegistered", "register-" + deviceId, deviceId, at))
        .setDeviceId(deviceId)
        .setDeviceType("bench-device")
        .setReportingIntervalMillis(Duration.ofHours(1).toMillis())
        .setSensors(
            List.of(
                SensorSpec.newBuilder()
                    .setSensorType(SENSOR)
                    .setUnit(UNIT)
                    .setPhysicalMin(-100)
                    .setPhysicalMax(1000)
                    .setAlertBelow(null)
                    .setAlertAbove(null)
                    .build()))
        .build();
  }

  private static EventMetadata metadata(String type, String label, String deviceId, Instant at) {
    return EventMetadata.newBuilder()
        .setEventId(UUID.nameUUIDFromBytes(utf8(label)))
        .setEventType(type)
        .setSchemaVersion(1)
        .setAggregateType("device")
        .setAggregateId(deviceId)
        .setCorrelationId(deviceId)
        .setOccurredAt(at)
        .build();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
