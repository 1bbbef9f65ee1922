package org.edapipeline.bench.flink;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.common.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code iot.readings} records (Confluent wire format through the registry) with the same
 * {@link RecordDecoder} as our job's source, into {@link SqlReading}s with the reading's {@code
 * measuredAt} kept for the event time.
 *
 * <p>What our job would dead-letter, this contender skips: an undecodable record is logged and
 * counted ({@code numUndecodableReadings}), never thrown (a plain SQL pipeline has no DLQ). The
 * benchmark input has none.
 */
final class SqlReadingDeserializer implements KafkaRecordDeserializationSchema<SqlReading> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(SqlReadingDeserializer.class);

  private final RecordDecoder<SensorReadingRecorded> decoder;
  private transient Counter undecodable;

  SqlReadingDeserializer(RecordDecoder<SensorReadingRecorded> decoder) {
    this.decoder = decoder;
  }

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    decoder.open();
    undecodable = context.getMetricGroup().counter("numUndecodableReadings");
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SqlReading> out) {
    SensorReadingRecorded reading;
    try {
      reading = decoder.decode(record.value());
    } catch (RuntimeException e) {
      undecodable.inc();
      LOG.warn(
          "Skipping undecodable reading at {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.toString());
      return;
    }
    out.collect(
        new SqlReading(
            reading.getDeviceId(),
            reading.getSensorType(),
            reading.getUnit(),
            reading.getValue(),
            reading.getMeasuredAt().toEpochMilli()));
  }

  @Override
  public TypeInformation<SqlReading> getProducedType() {
    return TypeInformation.of(SqlReading.class);
  }
}
