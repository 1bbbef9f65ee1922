package org.edapipeline.jobs.saga.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.jobs.common.RawRecord;
import org.edapipeline.jobs.saga.records.SagaCommand;
import org.edapipeline.jobs.saga.records.SagaEvent;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.outputs.SagaStateChanged;
import org.edapipeline.outputs.SagaStep;
import org.edapipeline.schemas.EventHeaders;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetters;

/**
 * Builds the saga's Avro outputs. Every id is name-based (a UUID of the order id, the record type
 * and the cause), so replaying a saga produces byte-identical records and consumers can dedupe.
 */
final class SagaRecords {

  /** Published version of SagaStateChanged and of the commands (schemas/src/main/avro-history). */
  static final int SCHEMA_VERSION = 1;

  /** {@code metadata.aggregateType} of what the saga writes: the saga is the aggregate. */
  static final String AGGREGATE_TYPE = "saga";

  private final String jobName;
  private final String operatorUid;

  /** The outputs' trace parents, the sagas' roots remembered. */
  private final SagaTrace.Parents traces;

  /** The digest of {@link #nameUuid}; {@code digest} resets it. */
  private final MessageDigest md5;

  SagaRecords(String jobName, String operatorUid, SagaTrace.Parents traces) {
    this.jobName = jobName;
    this.operatorUid = operatorUid;
    this.traces = traces;
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has MD5", e);
    }
  }

  /**
   * A name-based (version 3) UUID of the parts: equal parts, equal id, on every replay. The same id
   * as {@link UUID#nameUUIDFromBytes} of the parts joined by {@code /}, with this instance's MD5
   * digest reused instead of looked up per id (so not thread-safe, like the rest of the machine).
   */
  UUID nameUuid(String... parts) {
    byte[] md5 = this.md5.digest(String.join("/", parts).getBytes(StandardCharsets.UTF_8));
    md5[6] &= 0x0f; // clear the version
    md5[6] |= 0x30; // version 3: name-based, MD5
    md5[8] &= 0x3f; // clear the variant
    md5[8] |= (byte) 0x80; // IETF variant
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (md5[i] & 0xff);
      lsb = (lsb << 8) | (md5[i + 8] & 0xff);
    }
    return new UUID(msb, lsb);
  }

  SagaStateChanged stateChanged(
      SagaState state, SagaStepEntry previous, SagaStepEntry entered, SagaEvent trigger) {
    List<SagaStep> history = new ArrayList<>(state.history.size());
    for (SagaStepEntry step : state.history) {
      history.add(new SagaStep(step.status, Instant.ofEpochMilli(step.enteredAt)));
    }
    UUID id =
        nameUuid(
            state.orderId,
            SagaStateChanged.class.getSimpleName(),
            Integer.toString(state.history.size()),
            entered.status.name());
    return SagaStateChanged.newBuilder()
        .setMetadata(metadata(id, SagaStateChanged.class, state, trigger, entered.enteredAt))
        .setOrderId(state.orderId)
        .setStatus(entered.status)
        .setPreviousStatus(previous == null ? null : previous.status)
        .setHistory(history)
        .setStartedAt(Instant.ofEpochMilli(state.startedAt))
        .setElapsedMillis(Math.max(0, entered.enteredAt - state.startedAt))
        .setPreviousStatusMillis(
            previous == null ? 0 : Math.max(0, entered.enteredAt - previous.enteredAt))
        .setTriggeringEventId(trigger == null ? null : UUID.fromString(trigger.eventId))
        .setReason(entered.reason)
        .build();
  }

  SagaCommand releaseInventory(SagaState state, UUID id, long at, String reason, SagaEvent cause) {
    return SagaCommand.of(
        ReleaseInventory.newBuilder()
            .setMetadata(metadata(id, ReleaseInventory.class, state, cause, at))
            .setCommandId(id)
            .setOrderId(state.orderId)
            .setReservationId(state.reserved.reservationId)
            .setReason(reason)
            .build());
  }

  SagaCommand refundPayment(SagaState state, UUID id, long at, String reason, SagaEvent cause) {
    return SagaCommand.of(
        RefundPayment.newBuilder()
            .setMetadata(metadata(id, RefundPayment.class, state, cause, at))
            .setCommandId(id)
            .setOrderId(state.orderId)
            .setPaymentId(state.paid.paymentId)
            .setAmountMinor(state.paid.amountMinor)
            .setCurrency(state.paid.currency)
            .setReason(reason)
            .build());
  }

  SagaCommand cancelOrder(SagaState state, UUID id, long at, String reason, SagaEvent cause) {
    return SagaCommand.of(
        CancelOrder.newBuilder()
            .setMetadata(metadata(id, CancelOrder.class, state, cause, at))
            .setCommandId(id)
            .setOrderId(state.orderId)
            .setReason(reason)
            .build());
  }

  /**
   * A dead letter for an event whose saga never started: with the original key, value bytes,
   * headers and Kafka timestamp when the event carries its {@link SagaEvent#origin}, so the dead
   * letter can be replayed as it was read.
   */
  DeadLetter unknownSaga(SagaEvent event, long firstSeenAt, long now, String message) {
    RawRecord origin = event.origin;
    DeadLetters.Builder letter =
        origin != null
            ? origin.deadLetter()
            : DeadLetters.builder().source(event.sourceTopicOrDefault(), -1, -1, null);
    // The event's own provenance wins: it is known even when the origin was not kept.
    letter.source(
        event.sourceTopicOrDefault(),
        event.sourcePartition,
        event.sourceOffset,
        origin == null || origin.timestamp < 0 ? null : Instant.ofEpochMilli(origin.timestamp));
    return failure(letter, new SagaFailureException.UnknownSaga(message), firstSeenAt, now)
        .eventId(UUID.fromString(event.eventId))
        .correlationId(event.orderId)
        .build();
  }

  /**
   * A dead letter for a compensation command that was not acknowledged, in the queue of {@code
   * saga.commands}: keyed like the command (order id) and with the command's identifying headers
   * (its id as {@code eventId}, type, correlation id), so the command can be found on {@code
   * saga.commands} and sent again. The command's bytes are not in it: the job never holds them (the
   * sink encodes the command), and they are on {@code saga.commands} under that id. Its {@code
   * traceparent} header is the saga's trace context ({@code sagaTraceparent}, the OrderPlaced's),
   * so the letter lands in the saga's trace.
   */
  DeadLetter compensationNotAcknowledged(
      String orderId,
      String commandType,
      String commandId,
      String sagaTraceparent,
      long sentAt,
      long now,
      String message) {
    DeadLetters.Builder letter =
        DeadLetters.builder()
            .original(orderId.getBytes(StandardCharsets.UTF_8), null)
            .header(EventHeaders.EVENT_ID, commandId)
            .header(EventHeaders.EVENT_TYPE, commandType)
            .header(EventHeaders.CORRELATION_ID, orderId)
            .header(EventHeaders.TRACEPARENT, traces.parent(sagaTraceparent, orderId).traceparent())
            .source(Topics.SAGA_COMMANDS.name(), -1, -1, null);
    return failure(
            letter, new SagaFailureException.CompensationNotAcknowledged(message), sentAt, now)
        .eventId(UUID.fromString(commandId))
        .correlationId(orderId)
        .build();
  }

  /** A saga failure is a rule's verdict: PERMANENT, one attempt, no stack trace. */
  private DeadLetters.Builder failure(
      DeadLetters.Builder letter, SagaFailureException failure, long firstAt, long lastAt) {
    return letter
        .failedIn(jobName, operatorUid)
        .error(failure)
        .withoutStackTrace()
        .category(ErrorCategory.PERMANENT)
        .attempts(1, Instant.ofEpochMilli(firstAt), Instant.ofEpochMilli(lastAt));
  }

  /**
   * The envelope of an output: correlation id = order id, causation id = the triggering event's id
   * (none after a deadline), traceparent = a child of the trigger's span, or after a deadline of
   * the saga's OrderPlaced's, with a span id derived from the output's id ({@link SagaTrace}), so
   * every output of a saga is in its trace and a replay writes the same header.
   */
  private EventMetadata metadata(
      UUID id, Class<?> type, SagaState state, SagaEvent cause, long at) {
    String orderId = state.orderId;
    String parent =
        cause != null ? cause.traceparent : state.placed == null ? null : state.placed.traceparent;
    String traceparent = traces.output(parent, orderId, id.toString());
    return EventMetadata.newBuilder()
        .setEventId(id)
        .setEventType(type.getSimpleName())
        .setSchemaVersion(SCHEMA_VERSION)
        .setAggregateType(AGGREGATE_TYPE)
        .setAggregateId(orderId)
        .setCorrelationId(orderId)
        .setCausationId(cause == null ? null : cause.eventId)
        .setOccurredAt(Instant.ofEpochMilli(at))
        .setTraceparent(traceparent)
        .build();
  }
}
