package org.edapipeline.jobs.iot;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.edapipeline.schemas.Topics;

/** Options of the {@link IotAggregationJob}, on top of the common ones. */
public final class IotOptions {

  public static final ConfigOption<Duration> WINDOW_SIZE =
      ConfigOptions.key("iot.window.size")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "Size of the tumbling windows, which are also the slices of the sliding ones.");

  public static final ConfigOption<Duration> SLIDING_SIZE =
      ConfigOptions.key("iot.sliding.size")
          .durationType()
          .defaultValue(Duration.ofMinutes(5))
          .withDescription("Size of the sliding windows; a multiple of iot.window.size.");

  public static final ConfigOption<Duration> SLIDING_SLIDE =
      ConfigOptions.key("iot.sliding.slide")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription("Slide of the sliding windows; a multiple of iot.window.size.");

  public static final ConfigOption<Boolean> SLIDING_ENABLED =
      ConfigOptions.key("iot.sliding.enabled")
          .booleanType()
          .defaultValue(true)
          .withDescription(
              "Whether the sliding windows run. false leaves only the tumbling aggregates (and the"
                  + " alerts), e.g. to benchmark the tumbling windows alone.");

  public static final ConfigOption<Duration> ALLOWED_LATENESS =
      ConfigOptions.key("iot.allowed-lateness")
          .durationType()
          .defaultValue(Duration.ofMinutes(2))
          .withDescription(
              "How long after a window's end a late reading still corrects it (a new revision);"
                  + " later readings go to "
                  + Topics.IOT_LATE.name()
                  + ".");

  public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
      ConfigOptions.key("iot.out-of-orderness")
          .durationType()
          .defaultValue(Duration.ofSeconds(10))
          .withDescription("Bounded out-of-orderness of the readings' watermarks.");

  public static final ConfigOption<Duration> IDLENESS =
      ConfigOptions.key("iot.idleness")
          .durationType()
          .defaultValue(Duration.ofSeconds(30))
          .withDescription(
              "A partition without records for this long stops holding back the watermark.");

  public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
      ConfigOptions.key("iot.max-future-skew")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "A reading measured further than this after its Kafka timestamp (when it was sent)"
                  + " is dead-lettered, and never advances the watermark.");

  public static final ConfigOption<Duration> REGISTRATION_GRACE =
      ConfigOptions.key("iot.registration-grace")
          .durationType()
          .defaultValue(Duration.ofMinutes(1))
          .withDescription(
              "How long (event time) a reading of a device not registered yet waits for its"
                  + " DeviceRegistered before it is dead-lettered as UNKNOWN_DEVICE.");

  public static final ConfigOption<Integer> ALERT_CONSECUTIVE_WINDOWS =
      ConfigOptions.key("iot.alert.consecutive-windows")
          .intType()
          .defaultValue(3)
          .withDescription(
              "Tumbling windows in a row whose mean breaches a threshold before an alert.");

  public static final ConfigOption<Integer> SILENCE_INTERVALS =
      ConfigOptions.key("iot.silence.intervals")
          .intType()
          .defaultValue(3)
          .withDescription(
              "Reporting intervals (of the device's DeviceRegistered) without a reading, in event"
                  + " time, before a DEVICE_SILENT alert.");

  private static final List<ConfigOption<?>> ALL =
      List.of(
          WINDOW_SIZE,
          SLIDING_SIZE,
          SLIDING_SLIDE,
          SLIDING_ENABLED,
          ALLOWED_LATENESS,
          OUT_OF_ORDERNESS,
          IDLENESS,
          MAX_FUTURE_SKEW,
          REGISTRATION_GRACE,
          ALERT_CONSECUTIVE_WINDOWS,
          SILENCE_INTERVALS);

  private IotOptions() {}

  /** Every IoT option, in a stable order. */
  public static List<ConfigOption<?>> all() {
    return ALL;
  }
}
