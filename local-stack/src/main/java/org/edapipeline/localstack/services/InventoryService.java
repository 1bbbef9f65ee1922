package org.edapipeline.localstack.services;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.ReleaseInventory;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReleased;
import org.edapipeline.events.inventory.InventoryReservationFailed;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.service.consumer.DecodedRecord;
import org.edapipeline.service.consumer.RecordHandler;

/**
 * The inventory service: reserves the lines of each {@code OrderPlaced} ({@code
 * InventoryReserved}), or reports a stock-out at the configured rate ({@code
 * InventoryReservationFailed}); releases a reservation on {@code ReleaseInventory} ({@code
 * InventoryReleased}).
 */
final class InventoryService implements RecordHandler<SpecificRecord> {

  private final ServiceContext context;

  InventoryService(ServiceContext context) {
    this.context = context;
  }

  @Override
  public void handle(Connection connection, DecodedRecord<SpecificRecord> record)
      throws SQLException {
    if (record.value() instanceof OrderPlaced order) {
      reserve(connection, order, record.eventId().toString());
    } else if (record.value() instanceof ReleaseInventory command) {
      release(connection, command, record.eventId().toString());
    }
    // Other events and commands on these topics are not for this service.
  }

  private void reserve(Connection connection, OrderPlaced order, String causationId)
      throws SQLException {
    boolean stockOut = ServiceContext.chance(context.settings().stockOutRate());
    UUID reservationId = UUID.randomUUID();
    List<String> skus = order.getLines().stream().map(OrderLine::getSku).toList();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO inventory_service.reservations"
                + " (reservation_id, order_id, skus, status, updated_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (order_id) DO NOTHING")) {
      insert.setObject(1, reservationId);
      insert.setString(2, order.getOrderId());
      insert.setArray(3, connection.createArrayOf("text", skus.toArray()));
      insert.setString(4, stockOut ? "OUT_OF_STOCK" : "RESERVED");
      insert.setTimestamp(5, Timestamp.from(Instant.now()));
      if (insert.executeUpdate() == 0) {
        return; // this order was handled under another event id: nothing new to say
      }
    }
    String trace = order.getMetadata().getTraceparent();
    String orderId = order.getOrderId();
    if (stockOut) {
      String sku = skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
      context
          .outbox()
          .write(
              connection,
              InventoryReservationFailed.newBuilder()
                  .setMetadata(
                      metadata("InventoryReservationFailed", orderId, orderId, causationId, trace))
                  .setOrderId(orderId)
                  .setReason("out of stock: " + sku)
                  .setTransientFailure(false)
                  .setUnavailableSkus(List.of(sku))
                  .build());
      return;
    }
    List<ReservedLine> lines =
        order.getLines().stream()
            .map(
                l ->
                    ReservedLine.newBuilder()
                        .setSku(l.getSku())
                        .setQuantity(l.getQuantity())
                        .build())
            .toList();
    context
        .outbox()
        .write(
            connection,
            InventoryReserved.newBuilder()
                .setMetadata(
                    metadata(
                        "InventoryReserved", reservationId.toString(), orderId, causationId, trace))
                .setReservationId(reservationId.toString())
                .setOrderId(orderId)
                .setLines(lines)
                .build());
  }

  private void release(Connection connection, ReleaseInventory command, String causationId)
      throws SQLException {
    String reservationId = command.getReservationId();
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE inventory_service.reservations SET status = 'RELEASED', updated_at = ?"
                + " WHERE order_id = ? AND status = 'RESERVED' RETURNING reservation_id")) {
      update.setTimestamp(1, Timestamp.from(Instant.now()));
      update.setString(2, command.getOrderId());
      try (ResultSet released = update.executeQuery()) {
        if (released.next()) {
          reservationId = released.getString(1);
        }
      }
    }
    // Acknowledged also when nothing was reserved any more: the saga waits for the answer.
    context
        .outbox()
        .write(
            connection,
            InventoryReleased.newBuilder()
                .setMetadata(
                    metadata(
                        "InventoryReleased",
                        reservationId,
                        command.getOrderId(),
                        causationId,
                        command.getMetadata().getTraceparent()))
                .setReservationId(reservationId)
                .setOrderId(command.getOrderId())
                .setReason(command.getReason())
                .build());
  }

  private static EventMetadata metadata(
      String type, String aggregateId, String orderId, String causationId, String trace) {
    return Events.metadata(type, 1, Events.INVENTORY, aggregateId, orderId, causationId, trace);
  }
}
