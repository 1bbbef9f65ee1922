package org.edapipeline.bench.kafka.saga;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.edapipeline.schemas.EventHeaders;

/**
 * Turns a decoded catalogue record into a {@link SagaEvent} keyed by its order id (the events are
 * keyed by their aggregate's id: reservation, payment, shipment), taking the delivering record's
 * {@code traceparent} header; a record that is not a saga event is counted and dropped.
 */
final class ToSagaEvent implements Processor<String, SpecificRecord, String, SagaEvent> {

  private final AtomicLong notSagaEvents;
  private ProcessorContext<String, SagaEvent> context;

  ToSagaEvent(AtomicLong notSagaEvents) {
    this.notSagaEvents = notSagaEvents;
  }

  @Override
  public void init(ProcessorContext<String, SagaEvent> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, SpecificRecord> record) {
    if (record.value() == null) {
      notSagaEvents.incrementAndGet();
      return;
    }
    Header header = record.headers().lastHeader(EventHeaders.TRACEPARENT);
    String traceparent =
        header == null || header.value() == null
            ? null
            : new String(header.value(), StandardCharsets.UTF_8);
    SagaEvent.of(record.value(), traceparent)
        .ifPresentOrElse(
            event -> context.forward(record.withKey(event.orderId()).withValue(event)),
            notSagaEvents::incrementAndGet);
  }
}
