package org.edapipeline.faults;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The suite's size: the short form of every {@code mvn verify} (a few thousand events per run,
 * minutes in total) or the long form of {@code -Pfaults} (at least 100k events per run), chosen by
 * the system property {@code faults.form}.
 *
 * @param name {@code short} or {@code long}
 * @param orders orders per run (events per run: about 9 per order, readings included)
 * @param writeDuration how long a run's writes are spread over
 * @param sagaDeadline the saga's step deadline: how long the timed-out orders take to time out, and
 *     how late a completing order's step may be before it wrongly times out
 * @param burstFactor the burst run writes this many times the normal rate
 * @param burstDuration for this long
 * @param report where to write the Markdown table, if anywhere ({@code faults.report})
 */
record SuiteForm(
    String name,
    int orders,
    Duration writeDuration,
    Duration sagaDeadline,
    int burstFactor,
    Duration burstDuration,
    Optional<Path> report) {

  static SuiteForm fromSystemProperties() {
    String form = System.getProperty("faults.form", "short");
    String report = System.getProperty("faults.report", "");
    Optional<Path> file = report.isBlank() ? Optional.empty() : Optional.of(Path.of(report));
    return switch (form) {
      case "short" ->
          new SuiteForm(
              form,
              150,
              Duration.ofSeconds(6),
              Duration.ofSeconds(15),
              10,
              Duration.ofSeconds(3),
              file);
      case "long" ->
          new SuiteForm(
              form,
              12_000,
              Duration.ofSeconds(90),
              Duration.ofSeconds(90),
              10,
              Duration.ofSeconds(30),
              file);
      default ->
          throw new IllegalArgumentException(
              "faults.form must be 'short' or 'long', not '" + form + "'");
    };
  }

  /** Orders of the burst run's lead: the normal rate for {@code burstDuration}. */
  int leadOrders() {
    double perSecond = orders / (writeDuration.toMillis() / 1000.0);
    return (int) Math.round(perSecond * burstDuration.toMillis() / 1000.0);
  }

  /**
   * Orders of the burst itself: {@code burstFactor} times the normal rate for {@code
   * burstDuration}.
   */
  int burstOrders() {
    double perSecond = orders / (writeDuration.toMillis() / 1000.0);
    return (int) Math.round(perSecond * burstFactor * burstDuration.toMillis() / 1000.0);
  }
}
