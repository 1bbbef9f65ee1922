package org.edapipeline.bench.harness;

import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The measurements of one contender's run.
 *
 * @param suite the suite's id
 * @param contender the contender's id
 * @param pair which interleaved pair (0-based) this run belongs to
 * @param events input events processed (the pre-loaded input's size)
 * @param cpu process CPU time (user + system) from ready to completion, from the OS
 * @param elapsed wall time from ready to the last expected output being committed
 * @param latency latency samples in microseconds, or {@code null} when the run measures none
 * @param extra further figures (checkpoint duration and size, state size…), by name
 */
public record RunResult(
    String suite,
    String contender,
    int pair,
    long events,
    Duration cpu,
    Duration elapsed,
    Histogram latency,
    Map<String, Double> extra) {

  /** CPU-seconds per million input events. */
  public double cpuSecondsPerMillion() {
    return cpu.toNanos() / 1e9 / (events / 1e6);
  }

  /** Input events per second of wall time. */
  public double eventsPerSecond() {
    return events / (elapsed.toNanos() / 1e9);
  }
}
