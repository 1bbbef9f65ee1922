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

/**
 * Counts the dead letters on their way to the DLQ sink, per DLQ topic and category: the counter
 * {@value #METRIC} in the groups {@code dlq=<topic>} and {@code category=<category>} (labels {@code
 * dlq} and {@code category} in Prometheus, e.g. {@code
 * flink_taskmanager_job_task_operator_dlq_category_numDeadLetters}). Passes every letter on
 * unchanged; chained to the sink.
 */
public final class DeadLetterMetrics extends RichMapFunction<DeadLetter, DeadLetter> {
  private static final long serialVersionUID = 1L;

  /** Name of the counter. */
  public static final String METRIC = "numDeadLetters";

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
