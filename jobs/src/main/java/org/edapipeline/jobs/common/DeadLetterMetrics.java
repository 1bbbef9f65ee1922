package org.edapipeline.jobs.common;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.deadletter.DeadLetterHeaders;
import org.edapipeline.schemas.trace.EventLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs the dead letters on their way to the DLQ sink, per DLQ topic and category: the
 * counter {@value #METRIC} in the groups {@code dlq=<topic>} and {@code category=<category>}
 * (labels {@code dlq} and {@code category} in Prometheus, e.g. {@code
 * flink_taskmanager_job_task_operator_dlq_category_numDeadLetters}). Logs one INFO line per letter
 * (the count and the DLQ's depth are what to alert on; the line is for finding the letter by its
 * ids) with the failed record's {@code correlation_id} and {@code event_id} and the letter's {@code
 * trace_id}/{@code span_id} in the logging context. Passes every letter on unchanged; chained to
 * the sink.
 */
public final class DeadLetterMetrics extends RichMapFunction<DeadLetter, DeadLetter> {
  private static final long serialVersionUID = 1L;

  /** Name of the counter. */
  public static final String METRIC = "numDeadLetters";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMetrics.class);

  private transient Map<String, Map<ErrorCategory, Counter>> counters;

  @Override
  public void open(OpenContext openContext) {
    counters = new HashMap<>();
  }

  @Override
  public DeadLetter map(DeadLetter letter) {
    String dlq =
        Topics.byName(letter.getSourceTopic())
            .map(topic -> Topics.dlqOf(topic).name())
            .orElse(letter.getSourceTopic() + ".dlq");
    counters
        .computeIfAbsent(dlq, topic -> new EnumMap<>(ErrorCategory.class))
        .computeIfAbsent(letter.getErrorCategory(), category -> counter(dlq, category))
        .inc();
    // One line per dead letter, with the failed record's ids and the letter's trace context.
    try (EventLogContext log =
        EventLogContext.open(
            letter.getEventId() == null ? null : letter.getEventId().toString(),
            letter.getCorrelationId(),
            DeadLetterHeaders.trace(letter))) {
      LOG.info(
          "Dead letter to {}: {} {} from {}-{}@{} in {}: {}",
          dlq,
          letter.getErrorCategory(),
          letter.getErrorClass(),
          letter.getSourceTopic(),
          letter.getSourcePartition(),
          letter.getSourceOffset(),
          letter.getOperatorUid(),
          letter.getErrorMessage());
    }
    return letter;
  }

  private Counter counter(String dlq, ErrorCategory category) {
    MetricGroup group =
        getRuntimeContext()
            .getMetricGroup()
            .addGroup("dlq", dlq)
            .addGroup("category", category.name());
    return group.counter(METRIC);
  }
}
