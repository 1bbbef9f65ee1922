package org.edapipeline.dlq.monitor;

import java.util.List;
import java.util.OptionalLong;
import org.edapipeline.outputs.ErrorCategory;

/**
 * Renders {@link DlqStatus}es in Prometheus' text exposition format (version 0.0.4), one series per
 * queue ({@code topic} label) and category ({@code category} label).
 */
public final class PrometheusFormat {

  /** The content type of the rendering. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusFormat() {}

  /** The metrics of {@code statuses}, which the monitor checked with {@code threshold}. */
  public static String render(List<DlqStatus> statuses, OptionalLong threshold) {
    StringBuilder out = new StringBuilder();
    header(
        out,
        "dlq_depth",
        "gauge",
        "Records waiting in the dead-letter queue: neither purged nor passed by the replay job.");
    for (DlqStatus s : statuses) {
      sample(out, "dlq_depth", s, null, s.depth());
    }
    header(
        out,
        "dlq_retained_records",
        "gauge",
        "Records still in the dead-letter queue, replayed or not (last stable - log start offset).");
    for (DlqStatus s : statuses) {
      sample(out, "dlq_retained_records", s, null, s.retained());
    }
    header(
        out,
        "dlq_dead_letters_total",
        "counter",
        "Dead letters seen by the monitor since it started, by error category.");
    for (DlqStatus s : statuses) {
      for (ErrorCategory category : ErrorCategory.values()) {
        sample(out, "dlq_dead_letters_total", s, category, s.total().getOrDefault(category, 0L));
      }
    }
    header(
        out,
        "dlq_undecodable_records_total",
        "counter",
        "Records in the dead-letter queue that are not dead letters.");
    for (DlqStatus s : statuses) {
      sample(out, "dlq_undecodable_records_total", s, null, s.undecodableTotal());
    }
    header(out, "dlq_topic_exists", "gauge", "1 if the dead-letter queue topic exists.");
    for (DlqStatus s : statuses) {
      sample(out, "dlq_topic_exists", s, null, s.exists() ? 1 : 0);
    }
    if (threshold.isPresent()) {
      header(out, "dlq_depth_alert_threshold", "gauge", "Depth at which an alert is raised.");
      out.append("dlq_depth_alert_threshold ").append(threshold.getAsLong()).append('\n');
      header(out, "dlq_depth_alerting", "gauge", "1 while the depth is at or above the threshold.");
      for (DlqStatus s : statuses) {
        sample(out, "dlq_depth_alerting", s, null, s.alerting() ? 1 : 0);
      }
      header(out, "dlq_depth_alerts_total", "counter", "Alerts raised since the monitor started.");
      for (DlqStatus s : statuses) {
        sample(out, "dlq_depth_alerts_total", s, null, s.alertsTotal());
      }
    }
    return out.toString();
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(
      StringBuilder out, String name, DlqStatus status, ErrorCategory category, long value) {
    out.append(name).append("{topic=\"").append(escape(status.dlq().name())).append('"');
    if (category != null) {
      out.append(",category=\"").append(category.name()).append('"');
    }
    out.append("} ").append(value).append('\n');
  }

  /** Label value escaping of the exposition format: backslash, double quote, line feed. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
