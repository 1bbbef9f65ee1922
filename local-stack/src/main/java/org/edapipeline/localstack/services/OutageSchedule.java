package org.edapipeline.localstack.services;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a simulated service is down: the {@code k}-th outage starts {@code first + k * every} after
 * the services started, lasts {@code duration}, and takes down {@code rotation[k % size]}. Outages
 * longer than the saga's deadlines make them fire: a payment outage times out the sagas waiting for
 * payment, an inventory outage leaves compensations unacknowledged (COMPENSATION_FAILED).
 *
 * @param first when the first outage starts
 * @param every time between the starts of two outages; {@link Duration#ZERO} for no outages
 * @param duration how long each outage lasts, shorter than {@code every}
 * @param rotation the services taken down in turn, by name
 */
public record OutageSchedule(
    Duration first, Duration every, Duration duration, List<String> rotation) {

  /** An outage in progress: which service, and since when (relative to the services' start). */
  public record Outage(String service, Duration startsAt, Duration endsAt) {}

  public OutageSchedule {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(every, "every");
    Objects.requireNonNull(duration, "duration");
    rotation = List.copyOf(rotation);
    if (first.isNegative() || every.isNegative() || duration.isNegative()) {
      throw new IllegalArgumentException("outage times must not be negative");
    }
    if (!every.isZero() && duration.compareTo(every) >= 0) {
      throw new IllegalArgumentException(
          "an outage ("
              + duration
              + ") must be shorter than the time between outages ("
              + every
              + ")");
    }
    if (!every.isZero() && rotation.isEmpty()) {
      throw new IllegalArgumentException("no service to take down");
    }
  }

  /** A schedule without outages. */
  public static OutageSchedule none() {
    return new OutageSchedule(Duration.ZERO, Duration.ZERO, Duration.ZERO, List.of());
  }

  /** Whether any outage is scheduled at all. */
  public boolean enabled() {
    return !every.isZero() && !duration.isZero();
  }

  /** The outage in progress {@code elapsed} after the services started, if any. */
  public Optional<Outage> at(Duration elapsed) {
    if (!enabled() || elapsed.compareTo(first) < 0) {
      return Optional.empty();
    }
    long sinceFirst = elapsed.minus(first).toMillis();
    long index = sinceFirst / every.toMillis();
    Duration start = first.plus(every.multipliedBy(index));
    if (elapsed.compareTo(start.plus(duration)) >= 0) {
      return Optional.empty();
    }
    String service = rotation.get((int) (index % rotation.size()));
    return Optional.of(new Outage(service, start, start.plus(duration)));
  }
}
