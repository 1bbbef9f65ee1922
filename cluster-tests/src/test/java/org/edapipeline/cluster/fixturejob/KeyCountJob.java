package org.edapipeline.cluster.fixturejob;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The fixture's own small job, packaged into a jar by the test and submitted to the real cluster:
 * reads strings from a Kafka topic, counts each distinct string in keyed (RocksDB) state, and
 * writes {@code <string>=<count>} to another topic through an exactly-once transactional sink.
 *
 * <p>Arguments: {@code --bootstrap-servers}, {@code --input-topic}, {@code --output-topic}, {@code
 * --transaction-timeout-ms} (at most the broker's {@code transaction.max.timeout.ms}).
 */
public final class KeyCountJob {
  private KeyCountJob() {}

  /** Builds the job from the arguments and submits it. */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    String bootstrap = required(options, "bootstrap-servers");

    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(bootstrap)
            .setTopics(required(options, "input-topic"))
            .setGroupId("key-count-" + required(options, "output-topic"))
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setValueOnlyDeserializer(new SimpleStringSchema())
            .build();
    KafkaSink<String> sink =
        KafkaSink.<String>builder()
            .setBootstrapServers(bootstrap)
            .setRecordSerializer(
                KafkaRecordSerializationSchema.builder()
                    .setTopic(required(options, "output-topic"))
                    .setValueSerializationSchema(new SimpleStringSchema())
                    .build())
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix("key-count-" + required(options, "output-topic"))
            .setProperty("transaction.timeout.ms", required(options, "transaction-timeout-ms"))
            .build();

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "Read input strings")
        .uid("key-count-source")
        .keyBy(value -> value)
        .process(new CountPerKey())
        .uid("key-count-count")
        .name("Count per string")
        .sinkTo(sink)
        .uid("key-count-sink")
        .name("Write counts");
    env.execute("Key count (cluster fixture job)");
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("Expected --name value pairs, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing argument --" + name);
    }
    return value;
  }
}
