package org.edapipeline.jobs.saga.records;

import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReservationFailed;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.order.OrderCancelled;
import org.edapipeline.events.order.OrderConfirmed;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.events.shipment.ShipmentFailed;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/** The catalogue events the order saga observes, one constant per event type. */
public enum SagaEventType {
  ORDER_PLACED(OrderPlaced.class, Topics.ORDER_EVENTS),
  ORDER_CONFIRMED(OrderConfirmed.class, Topics.ORDER_EVENTS),
  ORDER_CANCELLED(OrderCancelled.class, Topics.ORDER_EVENTS),
  INVENTORY_RESERVED(InventoryReserved.class, Topics.INVENTORY_EVENTS),
  INVENTORY_RESERVATION_FAILED(InventoryReservationFailed.class, Topics.INVENTORY_EVENTS),
  INVENTORY_RELEASED(InventoryReleased.class, Topics.INVENTORY_EVENTS),
  PAYMENT_PROCESSED(PaymentProcessed.class, Topics.PAYMENT_EVENTS),
  PAYMENT_FAILED(PaymentFailed.class, Topics.PAYMENT_EVENTS),
  PAYMENT_REFUNDED(PaymentRefunded.class, Topics.PAYMENT_EVENTS),
  SHIPMENT_DISPATCHED(ShipmentDispatched.class, Topics.SHIPMENT_EVENTS),
  SHIPMENT_DELIVERED(ShipmentDelivered.class, Topics.SHIPMENT_EVENTS),
  SHIPMENT_FAILED(ShipmentFailed.class, Topics.SHIPMENT_EVENTS);

  private final Class<? extends SpecificRecord> recordClass;
  private final Topic<String, SpecificRecord> topic;

  SagaEventType(Class<? extends SpecificRecord> recordClass, Topic<String, SpecificRecord> topic) {
    this.recordClass = recordClass;
    this.topic = topic;
  }

  /** The generated Avro class of this event. */
  public Class<? extends SpecificRecord> recordClass() {
    return recordClass;
  }

  /** The topic the event arrives on. */
  public Topic<String, SpecificRecord> topic() {
    return topic;
  }
}
