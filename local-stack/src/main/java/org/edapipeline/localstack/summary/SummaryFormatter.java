package org.edapipeline.localstack.summary;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** The console's compact block for one {@link Summary}. */
public final class SummaryFormatter {

  private SummaryFormatter() {}

  /** A few lines, each starting with what it is about. */
  public static String format(Summary s) {
    StringBuilder out = new StringBuilder();
    out.append("---- local stack, up ")
        .append(uptime(s.uptime()))
        .append(" ")
        .append("-".repeat(48))
        .append('\n');
    out.append(
        String.format(
            "orders  placed %,d | completed %,d | compensated %,d | failed %,d | timed out %,d"
                + " | compensation failed %,d%n",
            s.ordersPlaced(),
            s.ordersCompleted(),
            s.ordersCompensated(),
            s.ordersFailed(),
            s.ordersTimedOut(),
            s.compensationsFailed()));
    out.append(
        String.format(
            "iot     readings %,d | windows %,d (%,d corrections) | alerts %,d (%,d threshold,"
                + " %,d silent device) | late %,d%n",
            s.readings(),
            s.windows(),
            s.corrections(),
            s.alerts(),
            s.thresholdAlerts(),
            s.silenceAlerts(),
            s.late()));
    out.append(
        String.format(
            "rate    in %,.1f/s (outbox events via CDC, readings) | out %,.1f/s (committed by the"
                + " jobs)%n",
            s.inPerSecond(), s.outPerSecond()));
    out.append(
        String.format(
            "cdc     published %,d | behind source %s | slot lag %s%n",
            s.cdcPublished(),
            s.cdcMillisBehindSource() < 0
                ? "-"
                : String.format("%,d ms", s.cdcMillisBehindSource()),
            s.cdcSlotLagBytes() < 0 ? "?" : String.format("%,d bytes", s.cdcSlotLagBytes())));
    out.append(String.format("dlq     depth %,d", s.dlqTotal()));
    if (!s.dlqByTopic().isEmpty()) {
      out.append("  (").append(join(s.dlqByTopic())).append(')');
    }
    out.append('\n');
    out.append(
        String.format(
            "flink   checkpoints %,d | duplicates dropped %,d | %s%n",
            s.checkpointsCompleted(),
            s.duplicatesDropped(),
            s.jobStates().isEmpty()
                ? "no jobs"
                : s.jobStates().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(" | "))));
    out.append("lag     ").append(join(s.lagByGroup()));
    if (!s.pendingByJob().isEmpty()) {
      out.append(" | pending records ").append(join(s.pendingByJob()));
    }
    out.append('\n');
    if (!s.servicesDown().isEmpty()) {
      out.append("outage  ").append(String.join(", ", s.servicesDown())).append(" down\n");
    }
    return out.toString();
  }

  private static String join(Map<String, Long> values) {
    return values.entrySet().stream()
        .map(e -> e.getKey() + " " + (e.getValue() < 0 ? "?" : String.format("%,d", e.getValue())))
        .collect(Collectors.joining(" | "));
  }

  static String uptime(Duration uptime) {
    long seconds = uptime.toSeconds();
    return seconds >= 3600
        ? String.format("%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%dm%02ds", seconds / 60, seconds % 60);
  }
}
