package org.edapipeline.jobs.saga;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.edapipeline.jobs.saga.state.SagaSettings;

/**
 * The saga job's options, read once into {@link SagaSettings}. Durations take Flink's syntax
 * ({@code 30 s}, {@code 5 min}, {@code 7 d}).
 */
public final class SagaOptions {

  private static final SagaSettings D = SagaSettings.DEFAULTS;

  /** STARTED: how long to wait for InventoryReserved. */
  public static final ConfigOption<Duration> INVENTORY_DEADLINE =
      ConfigOptions.key("saga.deadline.inventory")
          .durationType()
          .defaultValue(D.inventoryDeadline())
          .withDescription("How long a saga waits for the inventory reservation after it started.");

  /** INVENTORY_RESERVED: how long to wait for PaymentProcessed. */
  public static final ConfigOption<Duration> PAYMENT_DEADLINE =
      ConfigOptions.key("saga.deadline.payment")
          .durationType()
          .defaultValue(D.paymentDeadline())
          .withDescription("How long a saga waits for the payment after inventory was reserved.");

  /** PAYMENT_PROCESSED: how long to wait for ShipmentDispatched. */
  public static final ConfigOption<Duration> SHIPMENT_DEADLINE =
      ConfigOptions.key("saga.deadline.shipment")
          .durationType()
          .defaultValue(D.shipmentDeadline())
          .withDescription("How long a saga waits for the dispatch after the payment.");

  /** SHIPPED: how long to wait for ShipmentDelivered. */
  public static final ConfigOption<Duration> DELIVERY_DEADLINE =
      ConfigOptions.key("saga.deadline.delivery")
          .durationType()
          .defaultValue(D.deliveryDeadline())
          .withDescription("How long a saga waits for the delivery after the dispatch.");

  /** COMPENSATING: how long to wait for InventoryReleased and PaymentRefunded. */
  public static final ConfigOption<Duration> COMPENSATION_DEADLINE =
      ConfigOptions.key("saga.deadline.compensation")
          .durationType()
          .defaultValue(D.compensationDeadline())
          .withDescription(
              "How long a compensating saga waits for every compensation to be acknowledged"
                  + " before it is COMPENSATION_FAILED and dead-lettered.");

  /** How long events of a saga with no OrderPlaced are kept before they are dead-lettered. */
  public static final ConfigOption<Duration> UNKNOWN_SAGA_DEADLINE =
      ConfigOptions.key("saga.deadline.unknown-saga")
          .durationType()
          .defaultValue(D.unknownSagaDeadline())
          .withDescription(
              "How long events for an order whose OrderPlaced was not seen are kept, waiting for"
                  + " it, before each is reported to the dead-letter queue.");

  /** How long a finished saga's state is kept. */
  public static final ConfigOption<Duration> RETENTION =
      ConfigOptions.key("saga.retention")
          .durationType()
          .defaultValue(D.retention())
          .withDescription(
              "How long a finished saga's state is kept to recognise duplicates and late events;"
                  + " then a timer clears it.");

  /** Failed attempts of a step with transient failures before the saga compensates. */
  public static final ConfigOption<Integer> MAX_ATTEMPTS =
      ConfigOptions.key("saga.retry.max-attempts")
          .intType()
          .defaultValue(D.maxAttempts())
          .withDescription(
              "Failed attempts of a step whose failures are transient after which the saga stops"
                  + " waiting for the service's retry and compensates.");

  /** How far behind its input the saga operator may be before due deadlines are postponed. */
  public static final ConfigOption<Duration> DEADLINE_BACKLOG_TOLERANCE =
      ConfigOptions.key("saga.deadline.backlog-tolerance")
          .durationType()
          .defaultValue(D.backlogTolerance())
          .withDescription(
              "A deadline that comes due while the saga operator is receiving events and is more"
                  + " than this far behind them (processing time minus the events' occurredAt)"
                  + " is postponed until the backlog is read, instead of timing out a saga whose"
                  + " answer is still queued. Must exceed the clock skew between the services"
                  + " and the job.");

  /**
   * How long event ids are remembered for dedupe: a safety net behind the retention timer, which
   * clears them with the saga.
   */
  public static final ConfigOption<Duration> DEDUPE_TTL =
      ConfigOptions.key("saga.dedupe.ttl")
          .durationType()
          .defaultValue(Duration.ofDays(7))
          .withDescription(
              "Time-to-live of the remembered event ids; must be at least saga.retention. The"
                  + " retention timer clears them with the saga, the TTL only bounds state if a"
                  + " saga is never cleared.");

  private static final List<ConfigOption<?>> ALL =
      List.of(
          INVENTORY_DEADLINE,
          PAYMENT_DEADLINE,
          SHIPMENT_DEADLINE,
          DELIVERY_DEADLINE,
          COMPENSATION_DEADLINE,
          UNKNOWN_SAGA_DEADLINE,
          RETENTION,
          MAX_ATTEMPTS,
          DEADLINE_BACKLOG_TOLERANCE,
          DEDUPE_TTL);

  private SagaOptions() {}

  /** Every saga option, in a stable order (for parsing and documentation). */
  public static List<ConfigOption<?>> all() {
    return ALL;
  }

  /**
   * Reads and checks the saga options.
   *
   * @throws IllegalConfigurationException naming the key of the first bad value
   */
  public static SagaSettings settings(ReadableConfig config) {
    int maxAttempts = config.get(MAX_ATTEMPTS);
    if (maxAttempts < 1) {
      throw new IllegalConfigurationException(
          MAX_ATTEMPTS.key() + " must be at least 1, was " + maxAttempts);
    }
    return new SagaSettings(
        positive(config, INVENTORY_DEADLINE),
        positive(config, PAYMENT_DEADLINE),
        positive(config, SHIPMENT_DEADLINE),
        positive(config, DELIVERY_DEADLINE),
        positive(config, COMPENSATION_DEADLINE),
        positive(config, UNKNOWN_SAGA_DEADLINE),
        positive(config, RETENTION),
        maxAttempts,
        positive(config, DEADLINE_BACKLOG_TOLERANCE));
  }

  /**
   * Reads and checks the dedupe TTL against the retention.
   *
   * @throws IllegalConfigurationException if it is not positive or shorter than the retention
   */
  public static Duration dedupeTtl(ReadableConfig config) {
    Duration ttl = positive(config, DEDUPE_TTL);
    Duration retention = positive(config, RETENTION);
    if (ttl.compareTo(retention) < 0) {
      throw new IllegalConfigurationException(
          DEDUPE_TTL.key()
              + " ("
              + ttl
              + ") must be at least "
              + RETENTION.key()
              + " ("
              + retention
              + ")");
    }
    return ttl;
  }

  private static Duration positive(ReadableConfig config, ConfigOption<Duration> option) {
    Duration value;
    try {
      value = config.get(option);
    } catch (IllegalArgumentException e) {
      throw new IllegalConfigurationException(
          option.key() + " is not a duration: " + e.getMessage(), e);
    }
    if (value.isZero() || value.isNegative()) {
      throw new IllegalConfigurationException(option.key() + " must be positive, was " + value);
    }
    return value;
  }
}
