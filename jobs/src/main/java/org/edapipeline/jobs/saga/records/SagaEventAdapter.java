package org.edapipeline.jobs.saga.records;

import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.jobs.common.RecordRejectedException;

/**
 * The saga sources' adapter from a decoded catalogue record to a {@link SagaEvent}, for {@code
 * DecodingDeserializationSchema.forRecordTypes}. A record that decoded but is not a saga event is
 * rejected with a {@link RecordRejectedException}, which the source turns into a PERMANENT dead
 * letter on the DLQ of the topic it was read from.
 */
public final class SagaEventAdapter {

  /** Reason of a record whose type is not one of the saga's events. */
  public static final String NOT_A_SAGA_EVENT = "NOT_A_SAGA_EVENT";

  /** Reason of a saga event without an order id to key it by. */
  public static final String MISSING_ORDER_ID = "MISSING_ORDER_ID";

  private SagaEventAdapter() {}

  /**
   * The saga event of {@code record}.
   *
   * @throws RecordRejectedException if it is not a saga event or has a blank order id
   */
  public static SagaEvent toSagaEvent(SpecificRecord record) {
    return SagaEventMapper.map(record)
        .orElseThrow(
            () ->
                SagaEventMapper.isSagaEvent(record.getClass())
                    ? new RecordRejectedException(
                        MISSING_ORDER_ID,
                        record.getSchema().getName() + " has no order id to correlate it by")
                    : new RecordRejectedException(
                        NOT_A_SAGA_EVENT,
                        record.getSchema().getFullName() + " is not an event of the order saga"));
  }
}
