package org.edapipeline.bench.kafka.saga;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.schemas.EventHeaders;

/**
 * The saga's keyed step (key = order id), Processor API: the saga state in a key-value store
 * ({@link #SAGAS}), the pending wake-up of every saga in a second store ordered by time ({@link
 * #WAKE_UPS}, key = wake-up time big-endian + order id), and a wall-clock punctuator that every
 * {@link #PUNCTUATE_EVERY} fires the wake-ups that are due (a range scan up to now: the cost of a
 * tick is the number of due wake-ups, not the number of sagas). Kafka Streams has no per-key
 * timers; this is how its users build them. Outputs carry the same headers as our job's (event id,
 * type, correlation id, causation id, traceparent).
 */
final class SagaProcessor implements Processor<String, SagaEvent, String, SpecificRecord> {

  static final String SAGAS = "saga-state";
  static final String WAKE_UPS = "saga-wake-ups";

  /** Granularity of the processing-time deadlines (Flink fires its timers to the millisecond). */
  static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(1);

  private final SagaMachine machine;
  private final AtomicLong unreported;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, SagaState> sagas;
  private KeyValueStore<Bytes, String> wakeUps;

  SagaProcessor(SagaMachine machine, AtomicLong unreported) {
    this.machine = machine;
    this.unreported = unreported;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.sagas = context.getStateStore(SAGAS);
    this.wakeUps = context.getStateStore(WAKE_UPS);
    context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
  }

  @Override
  public void process(Record<String, SagaEvent> record) {
    String orderId = record.key();
    SagaState current = sagas.get(orderId);
    long wakeUpBefore = current == null ? 0 : current.wakeUpAt;
    SagaMachine.Transition t =
        machine.onEvent(current, record.value(), context.currentSystemTimeMs());
    apply(orderId, wakeUpBefore, t, record.timestamp());
  }

  private void fireDue(long now) {
    List<KeyValue<Bytes, String>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, String> it = wakeUps.range(null, wakeUpKey(now + 1, ""))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<Bytes, String> wakeUp : due) {
      long at = ByteBuffer.wrap(wakeUp.key.get()).getLong();
      SagaState state = sagas.get(wakeUp.value);
      if (state == null || state.wakeUpAt != at) {
        wakeUps.delete(wakeUp.key); // stale: the saga moved on
        continue;
      }
      SagaMachine.Transition t = machine.onWakeUp(state, at);
      if (!t.applied()) {
        wakeUps.delete(wakeUp.key); // a deadline of a status already left
        continue;
      }
      apply(wakeUp.value, at, t, now);
    }
  }

  private void apply(String orderId, long wakeUpBefore, SagaMachine.Transition t, long timestamp) {
    if (!t.applied()) {
      return;
    }
    SagaState state = t.state();
    long wakeUpAfter = state == null ? 0 : state.wakeUpAt;
    if (wakeUpBefore != wakeUpAfter) {
      if (wakeUpBefore != 0) {
        wakeUps.delete(wakeUpKey(wakeUpBefore, orderId));
      }
      if (wakeUpAfter != 0) {
        wakeUps.put(wakeUpKey(wakeUpAfter, orderId), orderId);
      }
    }
    if (state == null) {
      sagas.delete(orderId);
    } else {
      sagas.put(orderId, state);
    }
    unreported.addAndGet(t.unreported()[0]);
    for (SpecificRecord output : t.outputs()) {
      context.forward(new Record<>(orderId, output, timestamp, headers(output)));
    }
  }

  static Bytes wakeUpKey(long at, String orderId) {
    byte[] id = orderId.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(at).put(id).array());
  }

  private static Headers headers(SpecificRecord record) {
    RecordHeaders headers = new RecordHeaders();
    EventMetadata metadata = (EventMetadata) record.get(0);
    add(headers, EventHeaders.EVENT_ID, metadata.getEventId());
    add(headers, EventHeaders.EVENT_TYPE, metadata.getEventType());
    add(headers, EventHeaders.CORRELATION_ID, metadata.getCorrelationId());
    add(headers, EventHeaders.CAUSATION_ID, metadata.getCausationId());
    add(headers, EventHeaders.TRACEPARENT, metadata.getTraceparent());
    return headers;
  }

  private static void add(Headers headers, String key, Object value) {
    if (value != null) {
      headers.add(key, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
