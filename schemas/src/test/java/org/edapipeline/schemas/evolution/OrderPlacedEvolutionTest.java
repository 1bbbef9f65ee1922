package org.edapipeline.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.schemas.SampleEvents;
import org.junit.jupiter.api.Test;

/**
 * OrderPlaced v2 added the optional {@code couponCode}: consumers on v1 and v2 read each other's
 * events, in both directions.
 */
class OrderPlacedEvolutionTest {

  private static final Path HISTORY =
      Path.of("src/main/avro-history/org.edapipeline.events.order.OrderPlaced");

  /** Generic records with the same logical-type conversions as the generated classes. */
  private static final GenericData MODEL = new GenericData();

  static {
    MODEL.addLogicalTypeConversion(new Conversions.UUIDConversion());
    MODEL.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
  }

  private final Schema v1 = published(1);
  private final Schema v2 = OrderPlaced.getClassSchema();

  @Test
  void shouldBeVersionTwoAsPublished() {
    assertThat(SchemaEvolutionCheck.publishedForm(v2))
        .isEqualTo(SchemaEvolutionCheck.publishedForm(published(2)));
    assertThat(v1.getField("couponCode")).isNull();
  }

  @Test
  void shouldLetAVersionOneReaderReadVersionTwoEvents() throws IOException {
    OrderPlaced written = SampleEvents.orderPlaced();

    GenericRecord read = read(writeSpecific(written), v2, v1);

    assertThat(read.getSchema()).isEqualTo(v1);
    assertThat(read.get("orderId").toString()).isEqualTo(written.getOrderId());
    assertThat(read.get("totalAmountMinor")).isEqualTo(written.getTotalAmountMinor());
    assertThat(((GenericRecord) read.get("metadata")).get("eventId"))
        .isEqualTo(written.getMetadata().getEventId());
    assertThat((List<?>) read.get("lines")).hasSize(written.getLines().size());
  }

  @Test
  void shouldLetAVersionTwoReaderReadVersionOneEventsWithoutACoupon() throws IOException {
    OrderPlaced sample = SampleEvents.orderPlaced();
    OrderPlaced expected =
        OrderPlaced.newBuilder(sample)
            .setMetadata(EventMetadata.newBuilder(sample.getMetadata()).setSchemaVersion(1).build())
            .setCouponCode(null)
            .build();
    byte[] v1Bytes = writeGeneric(asVersionOne(expected));

    SpecificDatumReader<OrderPlaced> reader = new SpecificDatumReader<>(v1, v2);
    OrderPlaced read = reader.read(null, DecoderFactory.get().binaryDecoder(v1Bytes, null));

    assertThat(read.getCouponCode()).isNull();
    assertThat(read).isEqualTo(expected);
  }

  /** The same order as a v1 producer would have built it: field by field, without couponCode. */
  private GenericRecord asVersionOne(OrderPlaced order) {
    Schema lineSchema = v1.getField("lines").schema().getElementType();
    List<GenericRecord> lines =
        order.getLines().stream()
            .<GenericRecord>map(
                line ->
                    new GenericRecordBuilder(lineSchema)
                        .set("sku", line.getSku())
                        .set("quantity", line.getQuantity())
                        .set("unitPriceMinor", line.getUnitPriceMinor())
                        .build())
            .toList();
    EventMetadata metadata = order.getMetadata();
    GenericRecord genericMetadata =
        new GenericRecordBuilder(v1.getField("metadata").schema())
            .set("eventId", metadata.getEventId())
            .set("eventType", metadata.getEventType())
            .set("schemaVersion", metadata.getSchemaVersion())
            .set("aggregateType", metadata.getAggregateType())
            .set("aggregateId", metadata.getAggregateId())
            .set("correlationId", metadata.getCorrelationId())
            .set("causationId", metadata.getCausationId())
            .set("occurredAt", metadata.getOccurredAt())
            .set("traceparent", metadata.getTraceparent())
            .build();
    return new GenericRecordBuilder(v1)
        .set("metadata", genericMetadata)
        .set("orderId", order.getOrderId())
        .set("customerId", order.getCustomerId())
        .set("lines", lines)
        .set("totalAmountMinor", order.getTotalAmountMinor())
        .set("currency", order.getCurrency())
        .build();
  }

  private static byte[] writeSpecific(OrderPlaced order) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(OrderPlaced.class).write(order, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static byte[] writeGeneric(GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema(), MODEL).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static GenericRecord read(byte[] bytes, Schema writer, Schema reader) throws IOException {
    return new GenericDatumReader<GenericRecord>(writer, reader, MODEL)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  /** A published version, parsed the way the build check parses it: EventMetadata is known. */
  private static Schema published(int version) {
    Schema metadata = EventMetadata.getClassSchema();
    try {
      return new Schema.Parser()
          .addTypes(Map.of(metadata.getFullName(), metadata))
          .parse(HISTORY.resolve("v" + version + ".avsc").toFile());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
