package org.edapipeline.schemas.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.util.InstantiationUtil;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.schemas.registry.ClosedPort;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.SchemaMismatchException;
import org.edapipeline.schemas.serde.UnknownMagicByteException;
import org.edapipeline.schemas.serde.WireFormat;
import org.edapipeline.schemas.testing.TestOrder;
import org.edapipeline.schemas.testing.TestPayment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** flink-avro's registry schemas on our SchemaCoder, through the embedded registry. */
class RegistryAvroFormatsTest {
  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClientConfig config;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.builder().start();
    config = SchemaRegistryClientConfig.builder(registry.url()).build();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void shouldRoundTripASpecificRecordAfterShippingTheSchemasToATask() throws Exception {
    // Flink serializes both with the job graph: clone them as the task would receive them.
    RegistryAvroSerializationSchema<TestOrder> serializer =
        InstantiationUtil.clone(
            RegistryAvroFormats.serializer(TestOrder.class, "orders-value", config, true));
    RegistryAvroDeserializationSchema<TestOrder> deserializer =
        InstantiationUtil.clone(RegistryAvroFormats.deserializer(TestOrder.class, config));

    byte[] bytes = serializer.serialize(new TestOrder("o-1", 12));
    TestOrder order = deserializer.deserialize(bytes);

    assertThat(order.getId()).isEqualTo("o-1");
    assertThat(order.getAmount()).isEqualTo(12);
    try (SchemaRegistryClient client = client()) {
      assertThat(WireFormat.schemaId(bytes)).isEqualTo(client.latest("orders-value").id());
    }
  }

  @Test
  void shouldInteroperateWithTheKafkaSerdes() throws IOException {
    try (SchemaRegistryClient client = client()) {
      byte[] fromKafka =
          AvroWireSerializer.builder(client).build().serialize("orders", new TestOrder("k", 3));
      assertThat(
              RegistryAvroFormats.deserializer(TestOrder.class, config)
                  .deserialize(fromKafka)
                  .getId())
          .isEqualTo("k");

      byte[] fromFlink =
          RegistryAvroFormats.serializer(TestOrder.class, "orders-value", config, false)
              .serialize(new TestOrder("f", 4));
      assertThat(
              AvroWireDeserializer.forSpecific(client, TestOrder.class).decode(fromFlink).getId())
          .isEqualTo("f");
    }
  }

  @Test
  void shouldCreateNoClientUntilFirstUse() {
    SchemaRegistryClientConfig unreachable =
        SchemaRegistryClientConfig.builder("http://127.0.0.1:" + ClosedPort.find())
            .connectTimeout(Duration.ofMillis(200))
            .maxRetries(0)
            .build();

    // Constructing (which calls SchemaCoderProvider.get()) must not touch the registry.
    RegistryAvroDeserializationSchema<TestOrder> deserializer =
        RegistryAvroFormats.deserializer(TestOrder.class, unreachable);

    assertThat(deserializer).isNotNull();
  }

  @Test
  void shouldClassifyHeaderAndSchemaFailures() throws IOException {
    RegistryAvroDeserializationSchema<TestOrder> deserializer =
        RegistryAvroFormats.deserializer(TestOrder.class, config);
    byte[] payment =
        RegistryAvroFormats.serializer(TestPayment.class, "payments-value", config, true)
            .serialize(new TestPayment("p", 1));

    assertThatThrownBy(() -> deserializer.deserialize(new byte[] {'{', '}'}))
        .isInstanceOf(UnknownMagicByteException.class);
    assertThatThrownBy(() -> deserializer.deserialize(payment))
        .isInstanceOf(SchemaMismatchException.class);
  }

  @Test
  void shouldCompareProvidersByValue() {
    assertThat(RegistrySchemaCoderProvider.forWriting(config, "s", true))
        .isEqualTo(RegistrySchemaCoderProvider.forWriting(config, "s", true))
        .isNotEqualTo(RegistrySchemaCoderProvider.forWriting(config, "s", false));
  }

  private SchemaRegistryClient client() {
    return new RestSchemaRegistryClient(config);
  }
}
