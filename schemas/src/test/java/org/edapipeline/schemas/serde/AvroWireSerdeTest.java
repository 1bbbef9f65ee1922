package org.edapipeline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.embedded.registry.EmbeddedSchemaRegistry;
import org.edapipeline.schemas.registry.ClosedPort;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.testing.CountingClient;
import org.edapipeline.schemas.testing.TestOrder;
import org.edapipeline.schemas.testing.TestPayment;
import org.edapipeline.schemas.testing.TestSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Serializer and deserializer against the embedded registry, good bytes and bad. */
class AvroWireSerdeTest {
  private static final String TOPIC = "orders.events";

  private EmbeddedSchemaRegistry registry;
  private SchemaRegistryClient client;

  @BeforeEach
  void start() {
    registry = EmbeddedSchemaRegistry.builder().start();
    client =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(registry.url()).build());
  }

  @AfterEach
  void stop() {
    client.close();
    registry.close();
  }

  @Test
  void shouldRoundTripASpecificRecordInTheConfluentFraming() {
    byte[] bytes = serializer().serialize(TOPIC, new TestOrder("o-1", 42));

    int id = client.latest(TOPIC + "-value").id();
    assertThat(bytes[0]).isZero();
    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
    TestOrder order = AvroWireDeserializer.forSpecific(client, TestOrder.class).decode(bytes);
    assertThat(order.getId()).isEqualTo("o-1");
    assertThat(order.getAmount()).isEqualTo(42);
  }

  @Test
  void shouldReadEachEventTypeOfASharedTopicIntoItsOwnClass() {
    AvroWireSerializer<SpecificRecord> serializer =
        AvroWireSerializer.builder(client).subjectNameStrategy(new RecordNameStrategy()).build();
    byte[] order = serializer.serialize(TOPIC, new TestOrder("o-1", 1));
    byte[] payment = serializer.serialize(TOPIC, new TestPayment("p-1", 250));

    AvroWireDeserializer<SpecificRecord> deserializer =
        AvroWireDeserializer.forSpecificByWriterName(client);

    assertThat(deserializer.decode(order)).isInstanceOf(TestOrder.class);
    assertThat(deserializer.decode(payment))
        .isInstanceOfSatisfying(TestPayment.class, p -> assertThat(p.getCents()).isEqualTo(250));
    assertThat(client.subjects())
        .containsExactlyInAnyOrder(
            "org.edapipeline.schemas.testing.TestOrder",
            "org.edapipeline.schemas.testing.TestPayment");
  }

  @Test
  void shouldNameSubjectsByStrategy() {
    Schema schema = TestOrder.getClassSchema();
    assertThat(new TopicNameStrategy().subjectName("t", false, schema)).isEqualTo("t-value");
    assertThat(new TopicNameStrategy().subjectName("t", true, schema)).isEqualTo("t-key");
    assertThat(new RecordNameStrategy().subjectName("t", false, schema))
        .isEqualTo("org.edapipeline.schemas.testing.TestOrder");
    assertThat(new TopicRecordNameStrategy().subjectName("t", false, schema))
        .isEqualTo("t-org.edapipeline.schemas.testing.TestOrder");
    assertThat(
            SubjectNameStrategy.forName(
                "io.confluent.kafka.serializers.subject.RecordNameStrategy"))
        .isInstanceOf(RecordNameStrategy.class);
  }

  @Test
  void shouldRoundTripGenericRecordsAndResolveToAReaderSchema() {
    GenericRecord v1 = new GenericData.Record(TestSchemas.ORDER_V1);
    v1.put("id", "o-9");
    byte[] bytes = serializer().serialize(TOPIC, v1);

    GenericRecord asWritten = AvroWireDeserializer.forGeneric(client).decode(bytes);
    GenericRecord asV2 =
        AvroWireDeserializer.forGeneric(client, TestSchemas.ORDER_V2).decode(bytes);

    assertThat(asWritten.get("id").toString()).isEqualTo("o-9");
    assertThat(asV2.get("amount")).isEqualTo(0L);
  }

  @Test
  void shouldOnlyLookUpWhenAutoRegistrationIsOff() {
    AvroWireSerializer<TestOrder> lookupOnly =
        AvroWireSerializer.builder(client).autoRegister(false).build();

    assertThatThrownBy(() -> lookupOnly.serialize(TOPIC, new TestOrder("o-1", 1)))
        .isInstanceOfSatisfying(
            SchemaRegistryRejectedException.class,
            e -> assertThat(e.category()).isEqualTo(FailureCategory.PERMANENT))
        .hasMessageContaining("orders.events-value");

    client.register(TOPIC + "-value", TestOrder.getClassSchema());
    assertThat(lookupOnly.serialize(TOPIC, new TestOrder("o-1", 1))).isNotEmpty();
  }

  @Test
  void shouldAskTheRegistryOncePerSchemaNotPerRecord() {
    CountingClient counting = new CountingClient(client);
    AvroWireSerializer<TestOrder> serializer = AvroWireSerializer.builder(counting).build();
    AvroWireDeserializer<TestOrder> deserializer =
        AvroWireDeserializer.forSpecific(counting, TestOrder.class);

    for (int i = 0; i < 100; i++) {
      assertThat(
              deserializer
                  .decode(serializer.serialize(TOPIC, new TestOrder("o-" + i, i)))
                  .getAmount())
          .isEqualTo(i);
    }

    // One register (serializer) and one getById (deserializer), however many records.
    assertThat(counting.calls()).isEqualTo(2);
  }

  @Test
  void shouldFollowKafkasNullConventionButRejectNullWhenDecoding() {
    AvroWireDeserializer<TestOrder> deserializer =
        AvroWireDeserializer.forSpecific(client, TestOrder.class);

    assertThat(serializer().serialize(TOPIC, null)).isNull();
    assertThat(deserializer.deserialize(TOPIC, null)).isNull();
    assertThatThrownBy(() -> deserializer.decode(null)).isInstanceOf(MissingPayloadException.class);
  }

  @Test
  void shouldClassifyEveryKindOfBadBytes() {
    AvroWireDeserializer<TestOrder> deserializer =
        AvroWireDeserializer.forSpecific(client, TestOrder.class);
    byte[] good = serializer().serialize(TOPIC, new TestOrder("order-with-a-long-id", 7));
    int paymentId = client.register("payments-value", TestPayment.getClassSchema());
    byte[] payment = framed(paymentId, TestPayment.getClassSchema(), new TestPayment("p", 1));

    assertFailure(deserializer, new byte[0], MissingPayloadException.class);
    assertFailure(deserializer, new byte[] {0}, PayloadTooShortException.class);
    assertFailure(deserializer, new byte[] {0, 0, 0}, PayloadTooShortException.class);
    assertFailure(deserializer, "{\"id\":1}".getBytes(), UnknownMagicByteException.class);
    assertFailure(deserializer, withId(good, 4242), UnknownSchemaIdException.class);
    assertFailure(deserializer, withId(good, -1), UnknownSchemaIdException.class);
    assertFailure(
        deserializer, Arrays.copyOf(good, good.length - 3), CorruptPayloadException.class);
    assertFailure(deserializer, Arrays.copyOf(good, 5), CorruptPayloadException.class);
    assertFailure(
        deserializer, Arrays.copyOf(good, good.length + 2), CorruptPayloadException.class);
    assertFailure(deserializer, garbageBody(good), CorruptPayloadException.class);
    assertFailure(deserializer, payment, SchemaMismatchException.class);
    // A mismatch is remembered per id, and good records still pass afterwards.
    assertFailure(deserializer, payment, SchemaMismatchException.class);
    assertThat(deserializer.decode(good).getAmount()).isEqualTo(7);
  }

  @Test
  void shouldReportAGeneratedClassMissingForTheWriterName() {
    Schema unknown =
        TestSchemas.parse(
            "{\"type\":\"record\",\"name\":\"Nowhere\",\"namespace\":\"no.such\",\"fields\":[]}");
    int id = client.register("nowhere-value", unknown);

    assertFailure(
        AvroWireDeserializer.forSpecificByWriterName(client),
        framed(id, unknown, new GenericData.Record(unknown)),
        SchemaMismatchException.class);
  }

  @Test
  void shouldReportAnUnreachableRegistryAsTransient() {
    byte[] good = serializer().serialize(TOPIC, new TestOrder("o-1", 1));
    SchemaRegistryClientConfig down =
        SchemaRegistryClientConfig.builder("http://127.0.0.1:" + ClosedPort.find())
            .maxRetries(1)
            .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(1))
            .build();

    try (SchemaRegistryClient unreachable = new RestSchemaRegistryClient(down)) {
      AvroWireDeserializer<TestOrder> deserializer =
          AvroWireDeserializer.forSpecific(unreachable, TestOrder.class);
      assertThatThrownBy(() -> deserializer.decode(good))
          .isInstanceOfSatisfying(
              SchemaRegistryUnreachableException.class,
              e -> assertThat(e.category()).isEqualTo(FailureCategory.TRANSIENT))
          .hasMessageContaining("127.0.0.1");
      assertThatThrownBy(
              () ->
                  AvroWireSerializer.builder(unreachable)
                      .build()
                      .serialize(TOPIC, new TestOrder("x", 1)))
          .isInstanceOf(SchemaRegistryUnreachableException.class);
    }
  }

  @Test
  void shouldRejectARecordThatDoesNotMatchItsSchema() {
    GenericRecord missingId = new GenericData.Record(TestSchemas.ORDER_V1);

    assertThatThrownBy(() -> serializer().serialize(TOPIC, missingId))
        .isInstanceOf(RecordEncodingException.class);
    assertThatThrownBy(() -> serializer().serialize(TOPIC, "not a record"))
        .isInstanceOf(RecordEncodingException.class);
  }

  @Test
  void shouldBeConfigurableByKafkaWithConfluentKeys() {
    Map<String, Object> config =
        Map.of(
            "schema.registry.url", registry.url(),
            "value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy",
            "specific.avro.reader", "true");
    try (AvroWireSerializer<Object> serializer = new AvroWireSerializer<>();
        AvroWireDeserializer<Object> deserializer = new AvroWireDeserializer<>()) {
      serializer.configure(config, false);
      deserializer.configure(config, false);

      byte[] bytes = serializer.serialize(TOPIC, new TestPayment("p-1", 5));

      assertThat(deserializer.deserialize(TOPIC, bytes)).isInstanceOf(TestPayment.class);
      assertThat(client.subjects()).containsExactly("org.edapipeline.schemas.testing.TestPayment");
    }
  }

  private AvroWireSerializer<Object> serializer() {
    return AvroWireSerializer.builder(client).build();
  }

  private static void assertFailure(
      AvroWireDeserializer<?> deserializer,
      byte[] bytes,
      Class<? extends WireFormatException> type) {
    assertThatThrownBy(() -> deserializer.decode(bytes))
        .as("%s for %s", type.getSimpleName(), Arrays.toString(bytes))
        .isExactlyInstanceOf(type)
        .satisfies(
            e -> {
              if (type != SchemaRegistryUnreachableException.class) {
                assertThat(((WireFormatException) e).category())
                    .isEqualTo(FailureCategory.PERMANENT);
              }
            });
  }

  private static byte[] withId(byte[] framed, int id) {
    byte[] copy = framed.clone();
    copy[1] = (byte) (id >>> 24);
    copy[2] = (byte) (id >>> 16);
    copy[3] = (byte) (id >>> 8);
    copy[4] = (byte) id;
    return copy;
  }

  /** The header of {@code framed}, then a string length far beyond the body. */
  private static byte[] garbageBody(byte[] framed) {
    byte[] copy = Arrays.copyOf(framed, 8);
    copy[5] = (byte) 0xfe; // zig-zag varint: a large positive length, then the body ends
    copy[6] = (byte) 0x7f;
    copy[7] = (byte) 0x01;
    return copy;
  }

  private static byte[] framed(int id, Schema schema, Object record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WireFormat.writeHeader(id, out);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<Object>(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
