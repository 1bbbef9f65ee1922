package org.edapipeline.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.edapipeline.faults.OutputCollector.RunOutputs;
import org.edapipeline.faults.Workload.PlannedOrder;

/**
 * The pipeline's end-to-end lag during one run, and how long a fault kept it out of its normal
 * band.
 *
 * <p>One sample per order: from the commit of the order's last outbox transaction (its inputs are
 * complete) to the moment the collector first read, with read_committed, the status those inputs
 * lead to ({@link Outcome#inputDriven()}). Timed-out orders count with their {@code STARTED}, not
 * with the deadline's outcome.
 *
 * <ul>
 *   <li><b>baseline</b>: the 95th percentile of the lags of the samples visible before the fault;
 *       when none was (a short run on a loaded machine), the baseline of an earlier run;
 *   <li><b>band</b>: baseline + {@link #JITTER}, the checkpoint interval (outputs become visible
 *       when a checkpoint commits the sinks' transactions, so the lag varies by up to one interval
 *       with no fault at all);
 *   <li><b>recovery</b>: fault → the moment the last sample whose lag exceeds the band became
 *       visible (zero if none does): from then on, every output of the run arrived within the band.
 *       Unknown when no baseline is.
 * </ul>
 *
 * @param samples orders measured
 * @param baseline 95th percentile of the pre-fault lags, if any output preceded the fault
 * @param peak the largest lag of an output visible after the fault
 * @param recovery fault → lag back within the band for good
 */
record EndToEndLag(
    int samples, Optional<Duration> baseline, Duration peak, Optional<Duration> recovery) {

  /** The checkpoint interval of the suite's jobs: the lag's normal jitter. */
  static final Duration JITTER = Duration.ofSeconds(1);

  /** Nothing measured (the verification of earlier runs has no fault). */
  static final EndToEndLag NONE =
      new EndToEndLag(0, Optional.empty(), Duration.ZERO, Optional.empty());

  /** One output: when it became visible and how long after its inputs' commit (millis). */
  record Sample(long visibleAt, long lagMillis) {}

  /**
   * Measures the lag of {@code workload}'s orders.
   *
   * @param committedAt when an order's last outbox transaction committed (wall-clock millis), null
   *     if it did not
   * @param faultAt when the fault was injected (wall-clock millis)
   * @param earlier the baseline of an earlier run, used when no output preceded the fault
   */
  static EndToEndLag of(
      Workload workload,
      RunOutputs out,
      Function<String, Long> committedAt,
      long faultAt,
      Optional<Duration> earlier) {
    List<Sample> samples = new ArrayList<>();
    for (PlannedOrder order : workload.orders()) {
      Long input = committedAt.apply(order.orderId());
      Long visible = out.statusSeenAt.get(order.orderId() + ":" + order.outcome().inputDriven());
      if (input != null && visible != null) {
        samples.add(new Sample(visible, Math.max(0, visible - input)));
      }
    }
    return of(samples, faultAt, earlier);
  }

  /** The lag figures of {@code samples} for a fault injected at {@code faultAt}. */
  static EndToEndLag of(List<Sample> samples, long faultAt, Optional<Duration> earlier) {
    List<Long> before = new ArrayList<>();
    long peak = 0;
    for (Sample sample : samples) {
      if (sample.visibleAt() < faultAt) {
        before.add(sample.lagMillis());
      } else {
        peak = Math.max(peak, sample.lagMillis());
      }
    }
    long baseline;
    if (!before.isEmpty()) {
      Collections.sort(before);
      baseline = before.get((int) Math.ceil(0.95 * before.size()) - 1);
    } else if (earlier.isPresent()) {
      baseline = earlier.get().toMillis();
    } else {
      return new EndToEndLag(
          samples.size(), Optional.empty(), Duration.ofMillis(peak), Optional.empty());
    }
    long band = baseline + JITTER.toMillis();
    long lastOutOfBand = faultAt;
    for (Sample sample : samples) {
      if (sample.visibleAt() >= faultAt && sample.lagMillis() > band) {
        lastOutOfBand = Math.max(lastOutOfBand, sample.visibleAt());
      }
    }
    return new EndToEndLag(
        samples.size(),
        Optional.of(Duration.ofMillis(baseline)),
        Duration.ofMillis(peak),
        Optional.of(Duration.ofMillis(lastOutOfBand - faultAt)));
  }

  /** {@code recovery (baseline b, peak p)}, in seconds. */
  String describe() {
    return String.format(
        "%s (baseline %s, peak %.1f s)",
        recovery.map(EndToEndLag::seconds).orElse("n/a"),
        baseline.map(EndToEndLag::seconds).orElse("n/a"),
        peak.toMillis() / 1000.0);
  }

  static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
