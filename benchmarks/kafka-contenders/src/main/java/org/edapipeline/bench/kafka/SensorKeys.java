package org.edapipeline.bench.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The grouping key of the Kafka Streams IoT topology, {@code <deviceId>U+001F<sensorType>} as a
 * plain string (the unit separator cannot occur in an id), and the partitioner of its repartition
 * topic.
 */
final class SensorKeys {

  private static final char SEPARATOR = '\u001f';

  private SensorKeys() {}

  static String of(String deviceId, String sensorType) {
    return deviceId + SEPARATOR + sensorType;
  }

  static String deviceId(String key) {
    return key.substring(0, key.indexOf(SEPARATOR));
  }

  static String sensorType(String key) {
    return key.substring(key.indexOf(SEPARATOR) + 1);
  }

  /**
   * Partitions the repartition topic by device id exactly as the input topic is partitioned (the
   * producer's default: murmur2 of the UTF-8 key), so each reading stays in its input partition's
   * number. Kafka Streams' event time (stream time) advances per task with the records it receives;
   * with the default partitioner (a hash of device and sensor) the final reading of an input
   * partition, which closes its last windows, would reach only one of the aggregating tasks, and
   * the others would never close theirs. Flink broadcasts watermarks to every downstream subtask
   * instead. The repartition itself (the one {@code groupBy} makes) is kept.
   */
  static <V> StreamPartitioner<String, V> byDevice() {
    return (topic, key, value, partitions) ->
        Optional.of(
            Set.of(
                Utils.toPositive(Utils.murmur2(deviceId(key).getBytes(StandardCharsets.UTF_8)))
                    % partitions));
  }
}
