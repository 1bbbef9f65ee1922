package org.edapipeline.jobs.saga.records;

import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.jobs.common.RecordRejectedException;

/**
 * The saga sources' adapter from a decoded catalogue record to a {@link SagaEvent}, for {@code
 * DecodingDeserializationSchema.forRecordTypes}. A record that decoded but is not a saga event is
 * rejected with a {@link RecordRejectedException}, which the source turns into a PERMANENT dead
 * letter on the DLQ of the topic it was read from; so is a saga event with a value out of the
 * catalogue's domain ({@link #OUT_OF_DOMAIN}).
 */
public final class SagaEventAdapter {

  /** Reason of a record whose type is not one of the saga's events. */
  public static final String NOT_A_SAGA_EVENT = "NOT_A_SAGA_EVENT";

  /** Reason of a saga event without an order id to key it by. */
  public static final String MISSING_ORDER_ID = "MISSING_ORDER_ID";

  /**
   * Reason of a saga event with a value the catalogue rules out: an order or reservation without
   * lines, a quantity below 1, a negative price or amount.
   */
  public static final String OUT_OF_DOMAIN = "OUT_OF_DOMAIN";

  private SagaEventAdapter() {}

  /**
   * The saga event of {@code record}.
   *
   * @throws RecordRejectedException if it is not a saga event, has a blank order id or a value out
   *     of the catalogue's domain
   */
  public static SagaEvent toSagaEvent(SpecificRecord record) {
    String outOfDomain = outOfDomain(record);
    if (outOfDomain != null) {
      throw new RecordRejectedException(
          OUT_OF_DOMAIN, record.getSchema().getName() + " has " + outOfDomain);
    }
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

  /** What is out of the catalogue's domain in {@code record}, or null if nothing. */
  private static String outOfDomain(SpecificRecord record) {
    if (record instanceof OrderPlaced r) {
      if (r.getLines().isEmpty()) {
        return "no lines";
      }
      for (OrderLine line : r.getLines()) {
        if (line.getQuantity() < 1 || line.getUnitPriceMinor() < 0) {
          return "quantity "
              + line.getQuantity()
              + " at "
              + line.getUnitPriceMinor()
              + " of "
              + line.getSku();
        }
      }
      return r.getTotalAmountMinor() < 0 ? "total " + r.getTotalAmountMinor() : null;
    }
    if (record instanceof InventoryReserved r) {
      if (r.getLines().isEmpty()) {
        return "no lines";
      }
      for (ReservedLine line : r.getLines()) {
        if (line.getQuantity() < 1) {
          return "quantity " + line.getQuantity() + " of " + line.getSku();
        }
      }
      return null;
    }
    long amount =
        record instanceof PaymentProcessed r
            ? r.getAmountMinor()
            : record instanceof PaymentFailed r
                ? r.getAmountMinor()
                : record instanceof PaymentRefunded r ? r.getAmountMinor() : 0;
    return amount < 0 ? "amount " + amount : null;
  }
}
