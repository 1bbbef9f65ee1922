package org.edapipeline.dlq.monitor;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.outputs.DlqDepthAlert;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;

/**
 * Writes alerts to {@link Topics#DLQ_ALERTS} in the Confluent wire format, keyed by the queue's
 * name, through an idempotent producer, and waits for the acknowledgement.
 */
public final class KafkaAlertSink implements AlertSink, AutoCloseable {

  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final SchemaRegistryClient registry;
  private final AvroWireSerializer<DlqDepthAlert> serializer;
  private final Producer<byte[], byte[]> producer;

  /**
   * @param autoRegister register the {@link DlqDepthAlert} schema if the registry lacks it
   */
  public KafkaAlertSink(DlqClientConfig config, boolean autoRegister) {
    this.registry = new RestSchemaRegistryClient(config.registry());
    this.serializer = AvroWireSerializer.builder(registry).autoRegister(autoRegister).build();
    this.producer = new KafkaProducer<>(config.producer("dlq-monitor-alerts"));
  }

  @Override
  public void publish(DlqDepthAlert alert) throws Exception {
    String topic = Topics.DLQ_ALERTS.name();
    byte[] value = serializer.serialize(topic, alert);
    producer
        .send(
            new ProducerRecord<>(
                topic, alert.getDlqTopic().getBytes(StandardCharsets.UTF_8), value))
        .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    producer.close();
    serializer.close();
    registry.close();
  }
}
