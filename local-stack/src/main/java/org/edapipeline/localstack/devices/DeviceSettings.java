package org.edapipeline.localstack.devices;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated devices behave.
 *
 * @param devices how many devices report
 * @param readingInterval each device's reporting interval (one reading per sensor each time)
 * @param outOfOrderRate share of readings sent with a {@code measuredAt} up to {@code outOfOrderBy}
 *     in the past (within the watermark bound, or a correction of a fired window)
 * @param outOfOrderBy the largest shift of an out-of-order reading
 * @param lateRate share of readings sent {@code lateBy} in the past: past their window's allowed
 *     lateness, so they land on {@code iot.late}
 * @param lateBy how far in the past a late reading was measured
 * @param malformedRate share of records that are random bytes (dead-lettered as POISON)
 * @param outOfRangeRate share of readings outside the sensor's physical range (dead-lettered)
 * @param duplicateRate share of readings sent twice with the same event id (dropped by the job)
 * @param silentEvery how often one device (in turn) goes silent
 * @param silentFor how long it stays silent (longer than the job's silence threshold)
 * @param hotPhase how long the overheating devices stay above their alert threshold, and then below
 *     it
 */
public record DeviceSettings(
    int devices,
    Duration readingInterval,
    double outOfOrderRate,
    Duration outOfOrderBy,
    double lateRate,
    Duration lateBy,
    double malformedRate,
    double outOfRangeRate,
    double duplicateRate,
    Duration silentEvery,
    Duration silentFor,
    Duration hotPhase) {

  public DeviceSettings {
    if (devices < 1 || devices > 10_000) {
      throw new IllegalArgumentException("devices must be in [1, 10000]: " + devices);
    }
    Objects.requireNonNull(readingInterval, "readingInterval");
    if (readingInterval.toMillis() < 10) {
      throw new IllegalArgumentException("reading interval must be at least 10 ms");
    }
    Objects.requireNonNull(outOfOrderBy, "outOfOrderBy");
    Objects.requireNonNull(lateBy, "lateBy");
    Objects.requireNonNull(silentEvery, "silentEvery");
    Objects.requireNonNull(silentFor, "silentFor");
    Objects.requireNonNull(hotPhase, "hotPhase");
    if (!silentEvery.isZero() && silentFor.compareTo(silentEvery) >= 0) {
      throw new IllegalArgumentException(
          "a device's silence must be shorter than the time between two");
    }
  }
}
