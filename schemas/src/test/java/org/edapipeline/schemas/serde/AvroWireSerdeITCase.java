package org.edapipeline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.edapipeline.embedded.junit.SchemaRegistryExtension;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.testing.TestOrder;
import org.edapipeline.schemas.testing.TestPayment;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The serdes in real Kafka clients, on a registry that stores its schemas in the broker. */
class AvroWireSerdeITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final SchemaRegistryExtension REGISTRY = new SchemaRegistryExtension(KAFKA);

  @Test
  void shouldCarrySeveralEventTypesOnOneTopicThroughKafka() {
    String topic = "orders.events";
    KAFKA.createTopic(topic, 2);

    Map<String, Object> producerConfig = KAFKA.clientConfig();
    producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroWireSerializer.class);
    producerConfig.put("schema.registry.url", REGISTRY.url());
    producerConfig.put("value.subject.name.strategy", RecordNameStrategy.class.getName());
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(producerConfig)) {
      producer.send(new ProducerRecord<>(topic, "o-1", new TestOrder("o-1", 10)));
      producer.send(new ProducerRecord<>(topic, "o-1", new TestPayment("p-1", 1000)));
      producer.send(new ProducerRecord<>(topic, "o-2", new TestOrder("o-2", 20)));
    }

    Map<String, Object> consumerConfig = KAFKA.clientConfig();
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "serde-itcase");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroWireDeserializer.class);
    consumerConfig.put("schema.registry.url", REGISTRY.url());
    consumerConfig.put("specific.avro.reader", true);
    List<Object> received = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, Object> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  received.add(record.value());
                }
                return received.size() >= 3;
              });
    }

    assertThat(received).hasSize(3);
    assertThat(received).filteredOn(TestOrder.class::isInstance).hasSize(2);
    assertThat(received)
        .filteredOn(TestPayment.class::isInstance)
        .singleElement()
        .satisfies(p -> assertThat(((TestPayment) p).getCents()).isEqualTo(1000));
  }

  @Test
  void shouldKeepSchemaIdsWhenTheRegistryRestarts() {
    String topic = "_schemas_serde_restart";
    byte[] written;
    int id;
    try (EmbeddedSchemaRegistry first = startRegistry(topic);
        SchemaRegistryClient client = client(first)) {
      written = AvroWireSerializer.builder(client).build().serialize("t", new TestOrder("o-1", 5));
      id = WireFormat.schemaId(written);
    }

    // A fresh registry process and a fresh client: nothing cached anywhere but in Kafka.
    try (EmbeddedSchemaRegistry second = startRegistry(topic);
        SchemaRegistryClient client = client(second)) {
      assertThat(client.latest("t-value").id()).isEqualTo(id);
      assertThat(
              AvroWireDeserializer.forSpecific(client, TestOrder.class).decode(written).getAmount())
          .isEqualTo(5);
    }
  }

  private static EmbeddedSchemaRegistry startRegistry(String topic) {
    return EmbeddedSchemaRegistry.builder()
        .kafkaClientConfig(KAFKA.clientConfig())
        .storageTopic(topic)
        .start();
  }

  private static SchemaRegistryClient client(EmbeddedSchemaRegistry registry) {
    return new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registry.url()).build());
  }
}
