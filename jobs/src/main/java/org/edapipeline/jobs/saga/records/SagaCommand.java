package org.edapipeline.jobs.saga.records;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.events.EventMetadata;

/**
 * A command the saga sends to {@code saga.commands}: exactly one of {@link #releaseInventory},
 * {@link #refundPayment} and {@link #cancelOrder} is set. One side output of one type (a Flink POJO
 * whose fields Flink serializes with Avro) feeds one transactional sink; {@link #record()} gives
 * the Avro record to write, keyed by {@link #orderId}.
 */
public class SagaCommand {

  /** The order the command is about: the Kafka key. */
  public String orderId;

  /** Deterministic command id, equal to the record's {@code commandId}. */
  public String commandId;

  /** Set when the command is {@code ReleaseInventory}. */
  public ReleaseInventory releaseInventory;

  /** Set when the command is {@code RefundPayment}. */
  public RefundPayment refundPayment;

  /** Set when the command is {@code CancelOrder}. */
  public CancelOrder cancelOrder;

  /** For Flink's POJO serializer. */
  public SagaCommand() {}

  /** Wraps a {@code ReleaseInventory}. */
  public static SagaCommand of(ReleaseInventory command) {
    SagaCommand c = new SagaCommand(command.getOrderId(), command.getCommandId().toString());
    c.releaseInventory = command;
    return c;
  }

  /** Wraps a {@code RefundPayment}. */
  public static SagaCommand of(RefundPayment command) {
    SagaCommand c = new SagaCommand(command.getOrderId(), command.getCommandId().toString());
    c.refundPayment = command;
    return c;
  }

  /** Wraps a {@code CancelOrder}. */
  public static SagaCommand of(CancelOrder command) {
    SagaCommand c = new SagaCommand(command.getOrderId(), command.getCommandId().toString());
    c.cancelOrder = command;
    return c;
  }

  private SagaCommand(String orderId, String commandId) {
    this.orderId = orderId;
    this.commandId = commandId;
  }

  /** The Avro record to write. */
  public SpecificRecord record() {
    if (releaseInventory != null) {
      return releaseInventory;
    }
    if (refundPayment != null) {
      return refundPayment;
    }
    return cancelOrder;
  }

  /** The command's {@code metadata}. */
  public EventMetadata metadata() {
    if (releaseInventory != null) {
      return releaseInventory.getMetadata();
    }
    if (refundPayment != null) {
      return refundPayment.getMetadata();
    }
    return cancelOrder.getMetadata();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SagaCommand c
        && Objects.equals(orderId, c.orderId)
        && Objects.equals(commandId, c.commandId)
        && Objects.equals(releaseInventory, c.releaseInventory)
        && Objects.equals(refundPayment, c.refundPayment)
        && Objects.equals(cancelOrder, c.cancelOrder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(orderId, commandId);
  }

  @Override
  public String toString() {
    return String.valueOf(record());
  }
}
