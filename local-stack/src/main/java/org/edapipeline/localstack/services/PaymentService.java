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
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.commands.RefundPayment;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.events.inventory.InventoryReserved;
import org.edapipeline.events.inventory.ReservedLine;
import org.edapipeline.events.payment.PaymentFailed;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.events.payment.PaymentRefunded;
import org.edapipeline.service.consumer.DecodedRecord;
import org.edapipeline.service.consumer.RecordHandler;

/**
 * The payment service: charges each {@code InventoryReserved} ({@code PaymentProcessed}), declines
 * some for good and fails some transiently ({@code PaymentFailed}); a transient failure is retried
 * by its periodic task after the retry delay, each retry announcing its outcome with the next
 * attempt number, until {@link ServiceSettings#paymentMaxAttempts()}. Refunds on {@code
 * RefundPayment} ({@code PaymentRefunded}).
 */
final class PaymentService implements RecordHandler<SpecificRecord>, ServiceProcess.Task {

  private enum Outcome {
    PROCESSED,
    DECLINED,
    RETRYING,
    FAILED
  }

  private final ServiceContext context;

  PaymentService(ServiceContext context) {
    this.context = context;
  }

  @Override
  public void handle(Connection connection, DecodedRecord<SpecificRecord> record)
      throws SQLException {
    if (record.value() instanceof InventoryReserved reserved) {
      charge(connection, reserved, record.eventId().toString());
    } else if (record.value() instanceof RefundPayment command) {
      refund(connection, command, record.eventId().toString());
    }
  }

  private void charge(Connection connection, InventoryReserved reserved, String causationId)
      throws SQLException {
    ServiceSettings settings = context.settings();
    Outcome outcome;
    if (ServiceContext.chance(settings.paymentDeclineRate())) {
      outcome = Outcome.DECLINED;
    } else if (ServiceContext.chance(
        settings.paymentTransientRate() / (1 - settings.paymentDeclineRate()))) {
      outcome = settings.paymentMaxAttempts() > 1 ? Outcome.RETRYING : Outcome.FAILED;
    } else {
      outcome = Outcome.PROCESSED;
    }
    Payment payment =
        new Payment(
            UUID.randomUUID().toString(),
            reserved.getOrderId(),
            Catalogue.total(reserved.getLines(), ReservedLine::getSku, ReservedLine::getQuantity),
            1,
            causationId,
            reserved.getMetadata().getTraceparent());
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO payment_service.payments (payment_id, order_id, amount_minor, currency,"
                + " status, attempts, next_attempt_at, causation_id, traceparent, updated_at)"
                + " VALUES (?::uuid, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (order_id) DO NOTHING")) {
      Instant now = Instant.now();
      insert.setString(1, payment.paymentId());
      insert.setString(2, payment.orderId());
      insert.setLong(3, payment.amountMinor());
      insert.setString(4, Catalogue.CURRENCY);
      insert.setString(5, outcome.name());
      insert.setTimestamp(
          6,
          outcome == Outcome.RETRYING
              ? Timestamp.from(now.plus(settings.paymentRetryDelay()))
              : null);
      insert.setString(7, causationId);
      insert.setString(8, payment.traceparent());
      insert.setTimestamp(9, Timestamp.from(now));
      if (insert.executeUpdate() == 0) {
        return; // charged before under another event id
      }
    }
    announce(connection, payment, outcome);
  }

  /** Retries the transiently failed payments that are due. */
  @Override
  public void run(Connection connection) throws SQLException {
    List<Payment> due = new ArrayList<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            "SELECT payment_id, order_id, amount_minor, attempts, causation_id, traceparent"
                + " FROM payment_service.payments WHERE status = 'RETRYING' AND next_attempt_at <= ?"
                + " ORDER BY next_attempt_at LIMIT 100 FOR UPDATE SKIP LOCKED")) {
      select.setTimestamp(1, Timestamp.from(Instant.now()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          due.add(
              new Payment(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getLong(3),
                  rows.getInt(4) + 1,
                  rows.getString(5),
                  rows.getString(6)));
        }
      }
    }
    ServiceSettings settings = context.settings();
    for (Payment payment : due) {
      Outcome outcome =
          ServiceContext.chance(ServiceSettings.RETRY_SUCCESS_RATE)
              ? Outcome.PROCESSED
              : payment.attempt() >= settings.paymentMaxAttempts()
                  ? Outcome.FAILED
                  : Outcome.RETRYING;
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE payment_service.payments SET status = ?, attempts = ?, next_attempt_at = ?,"
                  + " updated_at = ? WHERE payment_id = ?::uuid")) {
        Instant now = Instant.now();
        update.setString(1, outcome.name());
        update.setInt(2, payment.attempt());
        update.setTimestamp(
            3,
            outcome == Outcome.RETRYING
                ? Timestamp.from(now.plus(settings.paymentRetryDelay()))
                : null);
        update.setTimestamp(4, Timestamp.from(now));
        update.setString(5, payment.paymentId());
        update.executeUpdate();
      }
      announce(connection, payment, outcome);
    }
  }

  private void announce(Connection connection, Payment payment, Outcome outcome)
      throws SQLException {
    if (outcome == Outcome.PROCESSED) {
      context
          .outbox()
          .write(
              connection,
              PaymentProcessed.newBuilder()
                  .setMetadata(payment.metadata("PaymentProcessed"))
                  .setPaymentId(payment.paymentId())
                  .setOrderId(payment.orderId())
                  .setAmountMinor(payment.amountMinor())
                  .setCurrency(Catalogue.CURRENCY)
                  .build());
      return;
    }
    boolean declined = outcome == Outcome.DECLINED;
    context
        .outbox()
        .write(
            connection,
            PaymentFailed.newBuilder()
                .setMetadata(payment.metadata("PaymentFailed"))
                .setPaymentId(payment.paymentId())
                .setOrderId(payment.orderId())
                .setAmountMinor(payment.amountMinor())
                .setCurrency(Catalogue.CURRENCY)
                .setReason(declined ? "card declined" : "payment gateway timed out")
                .setTransientFailure(!declined)
                .setAttempt(payment.attempt())
                .build());
  }

  private void refund(Connection connection, RefundPayment command, String causationId)
      throws SQLException {
    String paymentId = command.getPaymentId();
    long amount = command.getAmountMinor();
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE payment_service.payments SET status = 'REFUNDED', updated_at = ?"
                + " WHERE order_id = ? AND status = 'PROCESSED' RETURNING payment_id, amount_minor")) {
      update.setTimestamp(1, Timestamp.from(Instant.now()));
      update.setString(2, command.getOrderId());
      try (ResultSet refunded = update.executeQuery()) {
        if (refunded.next()) {
          paymentId = refunded.getString(1);
          amount = refunded.getLong(2);
        }
      }
    }
    // Acknowledged also when there was nothing left to refund: the saga waits for the answer.
    context
        .outbox()
        .write(
            connection,
            PaymentRefunded.newBuilder()
                .setMetadata(
                    Events.metadata(
                        "PaymentRefunded",
                        1,
                        Events.PAYMENT,
                        paymentId,
                        command.getOrderId(),
                        causationId,
                        command.getMetadata().getTraceparent()))
                .setPaymentId(paymentId)
                .setOrderId(command.getOrderId())
                .setRefundId(UUID.randomUUID().toString())
                .setAmountMinor(amount)
                .setCurrency(command.getCurrency())
                .setReason(command.getReason())
                .build());
  }

  /** A payment attempt: which one, and what caused the payment (for the events' metadata). */
  private record Payment(
      String paymentId,
      String orderId,
      long amountMinor,
      int attempt,
      String causationId,
      String traceparent) {

    EventMetadata metadata(String type) {
      return Events.metadata(type, 1, Events.PAYMENT, paymentId, orderId, causationId, traceparent);
    }
  }
}
