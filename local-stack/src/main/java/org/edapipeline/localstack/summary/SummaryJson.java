package org.edapipeline.localstack.summary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code --report} file: a {@link Summary} as JSON whose paths are the counters' names ({@code
 * orders.placed}, {@code iot.windows}, {@code dlq.total} (depth), {@code checkpoints.completed},
 * {@code cdc.slot_lag_bytes}, {@code throughput.in_per_second}, …, e.g. {@code jq .orders.completed
 * report.json}). Also writes the {@code --info} file. Files are replaced atomically, so a reader
 * never sees half of one.
 */
public final class SummaryJson {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SummaryJson() {}

  /** The report as nested maps, in a stable order. */
  public static Map<String, Object> report(Summary s) {
    Map<String, Object> orders = new LinkedHashMap<>();
    orders.put("placed", s.ordersPlaced());
    orders.put("completed", s.ordersCompleted());
    orders.put("compensated", s.ordersCompensated());
    orders.put("failed", s.ordersFailed());
    orders.put("timed_out", s.ordersTimedOut());
    orders.put("compensation_failed", s.compensationsFailed());
    Map<String, Object> iot = new LinkedHashMap<>();
    iot.put("readings", s.readings());
    iot.put("windows", s.windows());
    iot.put("corrections", s.corrections());
    iot.put("alerts", s.alerts());
    iot.put("threshold_alerts", s.thresholdAlerts());
    iot.put("silence_alerts", s.silenceAlerts());
    iot.put("late", s.late());
    Map<String, Object> dlq = new LinkedHashMap<>();
    dlq.put("total", s.dlqTotal());
    dlq.put("by_topic", s.dlqByTopic());
    Map<String, Object> checkpoints = new LinkedHashMap<>();
    checkpoints.put("completed", s.checkpointsCompleted());
    checkpoints.put("by_job", s.checkpointsByJob());
    Map<String, Object> cdc = new LinkedHashMap<>();
    cdc.put("published", s.cdcPublished());
    cdc.put("millis_behind_source", s.cdcMillisBehindSource());
    cdc.put("slot_lag_bytes", s.cdcSlotLagBytes());
    Map<String, Object> throughput = new LinkedHashMap<>();
    throughput.put("in_per_second", Math.round(s.inPerSecond() * 10) / 10.0);
    throughput.put("out_per_second", Math.round(s.outPerSecond() * 10) / 10.0);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("uptime_seconds", s.uptime().toSeconds());
    report.put("orders", orders);
    report.put("iot", iot);
    report.put("dlq", dlq);
    report.put("duplicates_dropped", s.duplicatesDropped());
    report.put("checkpoints", checkpoints);
    report.put("jobs", s.jobStates());
    report.put("consumer_lag", s.lagByGroup());
    report.put("pending_records", s.pendingByJob());
    report.put("cdc", cdc);
    report.put("throughput", throughput);
    return report;
  }

  /** Writes {@code value} as indented JSON to {@code file}, replacing it atomically. */
  public static void write(Path file, Object value) throws IOException {
    Path absolute = file.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    Path temporary = Files.createTempFile(absolute.getParent(), ".local-stack", ".json");
    try {
      JSON.writeValue(temporary.toFile(), value);
      Files.move(
          temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
