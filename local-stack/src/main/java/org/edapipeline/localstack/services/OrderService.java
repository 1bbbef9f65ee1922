package org.edapipeline.localstack.services;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.CancelOrder;
import org.edapipeline.events.order.OrderCancelled;
import org.edapipeline.events.order.OrderLine;
import org.edapipeline.events.order.OrderPlaced;
import org.edapipeline.service.consumer.DecodedRecord;
import org.edapipeline.service.consumer.RecordHandler;

/**
 * The order service: places orders at the configured rate (its {@code orders} row and {@code
 * OrderPlaced} in one transaction), and cancels an order on {@code CancelOrder} ({@code
 * OrderCancelled}).
 */
final class OrderService implements RecordHandler<SpecificRecord>, ServiceProcess.Task {

  /** {@code OrderPlaced} v2 added {@code couponCode}. */
  static final int ORDER_PLACED_VERSION = 2;

  private final ServiceContext context;

  OrderService(ServiceContext context) {
    this.context = context;
  }

  /** Places one order. */
  @Override
  public void run(Connection connection) throws SQLException {
    context.outbox().write(connection, place(connection, newOrder()));
  }

  /** A random order of one to three catalogue products. */
  static OrderPlaced newOrder() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String orderId = "order-" + UUID.randomUUID().toString().substring(0, 13);
    List<OrderLine> lines = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      Catalogue.Product product = Catalogue.PRODUCTS.get(random.nextInt(Catalogue.PRODUCTS.size()));
      lines.add(
          OrderLine.newBuilder()
              .setSku(product.sku())
              .setQuantity(1 + random.nextInt(3))
              .setUnitPriceMinor(product.unitPriceMinor())
              .build());
    }
    return OrderPlaced.newBuilder()
        .setMetadata(
            Events.metadata(
                "OrderPlaced", ORDER_PLACED_VERSION, Events.ORDER, orderId, orderId, null, null))
        .setOrderId(orderId)
        .setCustomerId("customer-" + (1 + random.nextInt(500)))
        .setLines(lines)
        .setTotalAmountMinor(Catalogue.total(lines, OrderLine::getSku, OrderLine::getQuantity))
        .setCurrency(Catalogue.CURRENCY)
        .setCouponCode(random.nextInt(10) == 0 ? "WELCOME10" : null)
        .build();
  }

  private static OrderPlaced place(Connection connection, OrderPlaced order) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO order_service.orders"
                + " (order_id, customer_id, total_minor, currency, status, placed_at, updated_at)"
                + " VALUES (?, ?, ?, ?, 'PLACED', ?, ?)")) {
      Timestamp now = Timestamp.from(order.getMetadata().getOccurredAt());
      insert.setString(1, order.getOrderId());
      insert.setString(2, order.getCustomerId());
      insert.setLong(3, order.getTotalAmountMinor());
      insert.setString(4, order.getCurrency());
      insert.setTimestamp(5, now);
      insert.setTimestamp(6, now);
      insert.executeUpdate();
    }
    return order;
  }

  @Override
  public void handle(Connection connection, DecodedRecord<SpecificRecord> record)
      throws SQLException {
    if (!(record.value() instanceof CancelOrder command)) {
      return; // another service's command
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE order_service.orders SET status = 'CANCELLED', updated_at = ?"
                + " WHERE order_id = ? AND status <> 'CANCELLED'")) {
      update.setTimestamp(1, Timestamp.from(Instant.now()));
      update.setString(2, command.getOrderId());
      update.executeUpdate();
    }
    // Acknowledged also when the order was cancelled before or is unknown: the saga waits for it.
    context
        .outbox()
        .write(
            connection,
            OrderCancelled.newBuilder()
                .setMetadata(
                    Events.metadata(
                        "OrderCancelled",
                        1,
                        Events.ORDER,
                        command.getOrderId(),
                        command.getOrderId(),
                        record.eventId().toString(),
                        command.getMetadata().getTraceparent()))
                .setOrderId(command.getOrderId())
                .setReason(command.getReason())
                .build());
  }
}
