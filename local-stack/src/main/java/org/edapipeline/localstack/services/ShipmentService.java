package org.edapipeline.localstack.services;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.shipment.ShipmentDelivered;
import org.edapipeline.events.shipment.ShipmentDispatched;
import org.edapipeline.events.shipment.ShipmentFailed;
import org.edapipeline.service.consumer.DecodedRecord;
import org.edapipeline.service.consumer.RecordHandler;

/**
 * The shipment service: dispatches each paid order ({@code ShipmentDispatched}) or fails to at the
 * configured rate ({@code ShipmentFailed}); its periodic task delivers dispatched shipments after
 * the delivery delay ({@code ShipmentDelivered}).
 */
final class ShipmentService implements RecordHandler<SpecificRecord>, ServiceProcess.Task {

  private static final List<String> CARRIERS = List.of("DHL", "UPS", "PostNL", "DPD");

  private final ServiceContext context;

  ShipmentService(ServiceContext context) {
    this.context = context;
  }

  @Override
  public void handle(Connection connection, DecodedRecord<SpecificRecord> record)
      throws SQLException {
    if (!(record.value() instanceof PaymentProcessed paid)) {
      return; // failures and refunds are not for the shipment service
    }
    boolean failed = ServiceContext.chance(context.settings().shipmentFailureRate());
    String shipmentId = UUID.randomUUID().toString();
    String carrier = CARRIERS.get(ThreadLocalRandom.current().nextInt(CARRIERS.size()));
    String causationId = record.eventId().toString();
    String trace = paid.getMetadata().getTraceparent();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO shipment_service.shipments (shipment_id, order_id, status, carrier,"
                + " deliver_at, causation_id, traceparent, updated_at)"
                + " VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING")) {
      Instant now = Instant.now();
      insert.setString(1, shipmentId);
      insert.setString(2, paid.getOrderId());
      insert.setString(3, failed ? "FAILED" : "DISPATCHED");
      insert.setString(4, carrier);
      insert.setTimestamp(
          5, failed ? null : Timestamp.from(now.plus(context.settings().deliveryDelay())));
      insert.setString(6, causationId);
      insert.setString(7, trace);
      insert.setTimestamp(8, Timestamp.from(now));
      if (insert.executeUpdate() == 0) {
        return; // shipped before under another event id
      }
    }
    if (failed) {
      context
          .outbox()
          .write(
              connection,
              ShipmentFailed.newBuilder()
                  .setMetadata(
                      Events.metadata(
                          "ShipmentFailed",
                          1,
                          Events.SHIPMENT,
                          shipmentId,
                          paid.getOrderId(),
                          causationId,
                          trace))
                  .setShipmentId(shipmentId)
                  .setOrderId(paid.getOrderId())
                  .setReason("address not deliverable")
                  .setTransientFailure(false)
                  .setAttempt(1)
                  .build());
      return;
    }
    context
        .outbox()
        .write(
            connection,
            ShipmentDispatched.newBuilder()
                .setMetadata(
                    Events.metadata(
                        "ShipmentDispatched",
                        1,
                        Events.SHIPMENT,
                        shipmentId,
                        paid.getOrderId(),
                        causationId,
                        trace))
                .setShipmentId(shipmentId)
                .setOrderId(paid.getOrderId())
                .setCarrier(carrier)
                .setTrackingNumber(carrier + "-" + shipmentId.substring(0, 8).toUpperCase())
                .build());
  }

  /** Delivers the dispatched shipments that are due. */
  @Override
  public void run(Connection connection) throws SQLException {
    record Due(String shipmentId, String orderId, String causationId, String traceparent) {}
    List<Due> due = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "UPDATE shipment_service.shipments SET status = 'DELIVERED', updated_at = ?"
                + " WHERE shipment_id IN (SELECT shipment_id FROM shipment_service.shipments"
                + " WHERE status = 'DISPATCHED' AND deliver_at <= ? ORDER BY deliver_at LIMIT 100"
                + " FOR UPDATE SKIP LOCKED)"
                + " RETURNING shipment_id, order_id, causation_id, traceparent")) {
      Timestamp now = Timestamp.from(Instant.now());
      select.setTimestamp(1, now);
      select.setTimestamp(2, now);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(
              new Due(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)));
        }
      }
    }
    List<ShipmentDelivered> delivered = new ArrayList<>(due.size());
    for (Due shipment : due) {
      delivered.add(
          ShipmentDelivered.newBuilder()
              .setMetadata(
                  Events.metadata(
                      "ShipmentDelivered",
                      1,
                      Events.SHIPMENT,
                      shipment.shipmentId(),
                      shipment.orderId(),
                      shipment.causationId(),
                      shipment.traceparent()))
              .setShipmentId(shipment.shipmentId())
              .setOrderId(shipment.orderId())
              .build());
    }
    context.outbox().writeAll(connection, delivered);
  }
}
