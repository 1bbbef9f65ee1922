package org.edapipeline.localstack;

import static org.edapipeline.localstack.OptionChecks.invalid;
import static org.edapipeline.localstack.OptionChecks.min;
import static org.edapipeline.localstack.OptionChecks.positive;
import static org.edapipeline.localstack.OptionChecks.rate;
import static org.edapipeline.localstack.OptionChecks.settings;

import java.time.Duration;
import org.edapipeline.localstack.devices.DeviceSettings;
import org.edapipeline.localstack.services.OutageSchedule;
import org.edapipeline.localstack.services.ServiceSettings;
import org.edapipeline.localstack.services.SimulatedServices;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The simulated services' and devices' options, shared by the one-JVM stack and the {@code
 * simulate} command (a picocli mixin). Each option also reads the environment variable {@code
 * SIMULATOR_<OPTION>} (upper case, {@code _} for {@code -}: {@code --order-rate} from {@code
 * SIMULATOR_ORDER_RATE}), so a container can be configured without a command line; a value on the
 * command line wins.
 */
final class SimulatorOptions {

  /** Prefix of the environment variables the simulators' options read. */
  static final String ENV_PREFIX = "SIMULATOR_";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--order-rate",
      defaultValue = "${env:SIMULATOR_ORDER_RATE:-5}",
      description = "Orders placed per second. Default: ${DEFAULT-VALUE}.")
  double orderRate;

  @Option(
      names = "--stock-out-rate",
      defaultValue = "${env:SIMULATOR_STOCK_OUT_RATE:-0.05}",
      description = "Share of orders out of stock. Default: ${DEFAULT-VALUE}.")
  double stockOutRate;

  @Option(
      names = "--payment-decline-rate",
      defaultValue = "${env:SIMULATOR_PAYMENT_DECLINE_RATE:-0.05}",
      description = "Share of payments declined. Default: ${DEFAULT-VALUE}.")
  double paymentDeclineRate;

  @Option(
      names = "--payment-transient-rate",
      defaultValue = "${env:SIMULATOR_PAYMENT_TRANSIENT_RATE:-0.1}",
      description =
          "Share of payment attempts failing transiently (then retried). Default: ${DEFAULT-VALUE}.")
  double paymentTransientRate;

  @Option(
      names = "--shipment-failure-rate",
      defaultValue = "${env:SIMULATOR_SHIPMENT_FAILURE_RATE:-0.03}",
      description = "Share of shipments failing. Default: ${DEFAULT-VALUE}.")
  double shipmentFailureRate;

  @Option(
      names = "--first-outage",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_FIRST_OUTAGE:-20s}",
      description = "When the first service outage starts. Default: ${DEFAULT-VALUE}.")
  Duration firstOutage;

  @Option(
      names = "--outage-every",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_OUTAGE_EVERY:-40s}",
      description =
          "Time between service outages (payment, inventory, shipment in turn); 0 for none. Default: ${DEFAULT-VALUE}.")
  Duration outageEvery;

  @Option(
      names = "--outage-duration",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_OUTAGE_DURATION:-15s}",
      description = "How long a service is down. Default: ${DEFAULT-VALUE}.")
  Duration outageDuration;

  @Option(
      names = "--devices",
      defaultValue = "${env:SIMULATOR_DEVICES:-20}",
      description = "Simulated devices. Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(
      names = "--reading-interval",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_READING_INTERVAL:-1s}",
      description =
          "Each device sends one reading per sensor (2) this often. Default: ${DEFAULT-VALUE}.")
  Duration readingInterval;

  @Option(
      names = "--out-of-order-rate",
      defaultValue = "${env:SIMULATOR_OUT_OF_ORDER_RATE:-0.05}",
      description = "Share of readings out of order. Default: ${DEFAULT-VALUE}.")
  double outOfOrderRate;

  @Option(
      names = "--late-rate",
      defaultValue = "${env:SIMULATOR_LATE_RATE:-0.01}",
      description = "Share of readings past the allowed lateness. Default: ${DEFAULT-VALUE}.")
  double lateRate;

  @Option(
      names = "--malformed-rate",
      defaultValue = "${env:SIMULATOR_MALFORMED_RATE:-0.002}",
      description = "Share of records that are random bytes. Default: ${DEFAULT-VALUE}.")
  double malformedRate;

  @Option(
      names = "--out-of-range-rate",
      defaultValue = "${env:SIMULATOR_OUT_OF_RANGE_RATE:-0.002}",
      description = "Share of readings outside the physical range. Default: ${DEFAULT-VALUE}.")
  double outOfRangeRate;

  @Option(
      names = "--duplicate-rate",
      defaultValue = "${env:SIMULATOR_DUPLICATE_RATE:-0.005}",
      description = "Share of readings sent twice. Default: ${DEFAULT-VALUE}.")
  double duplicateRate;

  @Option(
      names = "--silent-every",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_SILENT_EVERY:-30s}",
      description =
          "How often a device (in turn) goes silent; 0 for never. Default: ${DEFAULT-VALUE}.")
  Duration silentEvery;

  @Option(
      names = "--silent-for",
      converter = DurationConverter.class,
      defaultValue = "${env:SIMULATOR_SILENT_FOR:-8s}",
      description = "How long it stays silent. Default: ${DEFAULT-VALUE}.")
  Duration silentFor;

  /**
   * The services' settings.
   *
   * @param stepDeadline the saga job's deadline per step: deliveries come well within it
   * @param paymentMaxAttempts the saga job's {@code saga.retry.max-attempts}
   */
  ServiceSettings serviceSettings(Duration stepDeadline, int paymentMaxAttempts) {
    rate(spec, "--stock-out-rate", stockOutRate);
    rate(spec, "--payment-decline-rate", paymentDeclineRate);
    rate(spec, "--payment-transient-rate", paymentTransientRate);
    rate(spec, "--shipment-failure-rate", shipmentFailureRate);
    if (outageEvery.isNegative()) {
      throw invalid(spec, "--outage-every", "must not be negative, got " + outageEvery);
    }
    OutageSchedule outages =
        settings(
            spec,
            "--outage-every/--outage-duration",
            () ->
                outageEvery.isZero()
                    ? OutageSchedule.none()
                    : new OutageSchedule(
                        firstOutage,
                        outageEvery,
                        outageDuration,
                        SimulatedServices.OUTAGE_ROTATION));
    return settings(
        spec,
        "--order-rate/--payment-*-rate",
        () ->
            new ServiceSettings(
                orderRate,
                stockOutRate,
                paymentDeclineRate,
                paymentTransientRate,
                shipmentFailureRate,
                paymentMaxAttempts,
                Duration.ofSeconds(1),
                min(Duration.ofSeconds(2), stepDeadline.dividedBy(2)),
                outages));
  }

  /**
   * The devices' settings, derived from the IoT job's timing so that out-of-order readings stay
   * within reach of a correction and late ones really are past the allowed lateness.
   */
  DeviceSettings deviceSettings(
      Duration window, Duration allowedLateness, Duration outOfOrderness, int alertWindows) {
    rate(spec, "--out-of-order-rate", outOfOrderRate);
    rate(spec, "--late-rate", lateRate);
    rate(spec, "--malformed-rate", malformedRate);
    rate(spec, "--out-of-range-rate", outOfRangeRate);
    rate(spec, "--duplicate-rate", duplicateRate);
    positive(spec, "--reading-interval", readingInterval);
    return settings(
        spec,
        "--devices/--silent-every/--silent-for",
        () ->
            new DeviceSettings(
                devices,
                readingInterval,
                outOfOrderRate,
                outOfOrderness.plus(allowedLateness.dividedBy(2)),
                lateRate,
                window.plus(allowedLateness).plus(outOfOrderness).plusSeconds(5),
                malformedRate,
                outOfRangeRate,
                duplicateRate,
                silentEvery,
                silentFor,
                window.multipliedBy(alertWindows + 1L)));
  }
}
