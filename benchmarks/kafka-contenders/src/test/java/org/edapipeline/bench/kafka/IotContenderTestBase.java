package org.edapipeline.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.bench.contract.ContenderSpec;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.outputs.WindowAggregate;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.TopicNameStrategy;

/** Runs an IoT contender on {@link IotInput} and returns its committed windows as text. */
abstract class IotContenderTestBase extends ContenderTestBase {

  interface Factory {
    Contender create(ContenderSpec spec, Runnable ready);
  }

  static List<String> run(IotInput input, String window, int expected, Factory factory)
      throws Exception {
    recreate(Topics.IOT_READINGS, Topics.IOT_AGGREGATES);
    // An undecodable record first: skipped and counted, never fatal.
    produce(
        Topics.IOT_READINGS,
        new TopicNameStrategy(),
        List.<Map.Entry<String, SensorReadingRecorded>>of(),
        List.of(Map.entry(IotInput.DEVICES.get(0), "not avro".getBytes(StandardCharsets.UTF_8))));
    produce(Topics.IOT_READINGS, new TopicNameStrategy(), byDevice(input.data), List.of());
    produce(Topics.IOT_READINGS, new TopicNameStrategy(), byDevice(input.sentinels), List.of());

    ReadyFlag ready = new ReadyFlag();
    List<ConsumerRecord<String, WindowAggregate>> records;
    try (Contender contender = factory.create(spec(iotKeys(window)), ready)) {
      contender.start();
      records =
          readCommitted(
              Topics.IOT_AGGREGATES,
              AvroWireDeserializer.forSpecific(registryClient, WindowAggregate.class),
              expected);
      assertThat(ready.called()).as("ready was signalled").isTrue();
    }
    assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getDeviceId()));
    return records.stream().map(r -> IotInput.describe(r.value())).toList();
  }

  static Map<String, String> iotKeys(String window) {
    Map<String, String> keys = new HashMap<>();
    keys.put(ContenderSpec.INPUT_TOPICS, Topics.IOT_READINGS.name());
    keys.put(ContenderSpec.OUTPUT_TOPICS, Topics.IOT_AGGREGATES.name());
    keys.put(ContenderSpec.WINDOW, window);
    keys.put(ContenderSpec.WINDOW_SIZE_MS, Long.toString(IotInput.WINDOW.toMillis()));
    keys.put(ContenderSpec.WINDOW_SLIDE_MS, Long.toString(IotInput.WINDOW.toMillis()));
    keys.put(ContenderSpec.OUT_OF_ORDERNESS_MS, Long.toString(IotInput.BOUND.toMillis()));
    keys.put(ContenderSpec.CHECKPOINT_INTERVAL_MS, "500");
    return keys;
  }

  private static List<Map.Entry<String, SensorReadingRecorded>> byDevice(
      List<SensorReadingRecorded> readings) {
    return readings.stream().map(r -> Map.entry(r.getDeviceId(), r)).toList();
  }
}
