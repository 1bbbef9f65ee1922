package org.edapipeline.bench.harness;

import java.util.Map;

/**
 * One run as recorded in the results JSON: its measurements, or why it failed. Latency figures are
 * in microseconds; absent (null) when the run measured none.
 *
 * @param warmup a warm-up run (not counted in medians and ratios)
 * @param error the failure, with the contender's log tail; null for a successful run
 */
public record RunRecord(
    String suite,
    String contender,
    int pair,
    boolean warmup,
    long events,
    double cpuSeconds,
    double elapsedSeconds,
    Long latencyCount,
    Double latencyP50Micros,
    Double latencyP99Micros,
    Double latencyP999Micros,
    Map<String, Double> extra,
    String error) {

  /** The record of a measured run. */
  public static RunRecord of(RunResult result, boolean warmup) {
    var latency = result.latency();
    return new RunRecord(
        result.suite(),
        result.contender(),
        result.pair(),
        warmup,
        result.events(),
        result.cpu().toNanos() / 1e9,
        result.elapsed().toNanos() / 1e9,
        latency == null ? null : latency.getTotalCount(),
        latency == null ? null : (double) latency.getValueAtPercentile(50),
        latency == null ? null : (double) latency.getValueAtPercentile(99),
        latency == null ? null : (double) latency.getValueAtPercentile(99.9),
        result.extra() == null ? Map.of() : Map.copyOf(result.extra()),
        null);
  }

  /** The record of a run that failed. */
  public static RunRecord failed(
      String suite, String contender, int pair, boolean warmup, String error) {
    return new RunRecord(
        suite, contender, pair, warmup, 0, 0, 0, null, null, null, null, Map.of(), error);
  }

  /** Whether the run completed and was measured. */
  public boolean ok() {
    return error == null;
  }

  /** Input events per second of wall time. */
  public double eventsPerSecond() {
    return events / elapsedSeconds;
  }

  /** CPU-seconds per million input events. */
  public double cpuSecondsPerMillion() {
    return cpuSeconds / (events / 1e6);
  }

  /** Input events per CPU-second (the inverse of the cost). */
  public double eventsPerCpuSecond() {
    return events / cpuSeconds;
  }
}
