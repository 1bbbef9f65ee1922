package org.edapipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.SagaStateChanged;
import org.junit.jupiter.api.Test;

/**
 * Every record type survives Avro binary encoding with the generated classes' own {@link
 * SpecificData}, the model Flink's {@code AvroSerializer} uses for specific records, logical types
 * (UUID, Instant) in plain fields, unions and nested records included.
 */
class EventRoundTripTest {

  @Test
  void shouldHaveASampleOfEveryRecordTypeATopicCarries() {
    List<Class<?>> carried =
        Topics.all().stream()
            .flatMap(topic -> topic.valueTypes().stream().<Class<?>>map(type -> type))
            .distinct()
            .toList();

    assertThat(SampleEvents.all())
        .extracting(Object::getClass)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(carried);
  }

  @Test
  void shouldReadBackEveryRecordEqualToWhatWasWritten() throws IOException {
    for (SpecificRecord record : SampleEvents.all()) {
      assertThat(roundTrip(record)).as(record.getSchema().getName()).isEqualTo(record);
    }
  }

  @Test
  void shouldDecodeLogicalTypesToJavaTimeAndUuid() throws IOException {
    SagaStateChanged saga =
        (SagaStateChanged)
            roundTrip(
                SampleEvents.all().stream()
                    .filter(SagaStateChanged.class::isInstance)
                    .findFirst()
                    .orElseThrow());

    assertThat(saga.getMetadata().getOccurredAt()).isEqualTo(SampleEvents.PLACED_AT);
    assertThat(saga.getHistory().get(0).getEnteredAt()).isEqualTo(SampleEvents.PLACED_AT);
    assertThat(saga.getTriggeringEventId()).isInstanceOf(UUID.class);
  }

  @Test
  void shouldKeepNullsInOptionalFields() throws IOException {
    DeadLetter poison =
        DeadLetter.newBuilder(
                (DeadLetter)
                    SampleEvents.all().stream()
                        .filter(DeadLetter.class::isInstance)
                        .findFirst()
                        .orElseThrow())
            .setOriginalKey(null)
            .setOriginalValue(null)
            .setSourceTimestamp(null)
            .setErrorMessage(null)
            .build();

    DeadLetter read = (DeadLetter) roundTrip(poison);

    assertThat(read.getOriginalKey()).isNull();
    assertThat(read.getOriginalValue()).isNull();
    assertThat(read.getSourceTimestamp()).isNull();
    assertThat(read.getEventId()).isNull();
    assertThat(read.getOriginalHeaders().get(1).getValue()).isNull();
  }

  private static SpecificRecord roundTrip(SpecificRecord record) throws IOException {
    SpecificData model = SpecificData.getForClass(record.getClass());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(record.getSchema(), model).write(record, encoder);
    encoder.flush();

    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(out.toByteArray(), null);
    return new SpecificDatumReader<SpecificRecord>(record.getSchema(), record.getSchema(), model)
        .read(null, decoder);
  }
}
