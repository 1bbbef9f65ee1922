package org.edapipeline.localstack.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one list of the Prometheus metric names the pipeline emits and the dashboard may use, with
 * what each means. {@code DashboardTest} checks that every name the dashboard's queries use is
 * here; {@code LocalStackITCase} checks that every name here shows up in a scrape of the running
 * local stack. Flink's names are those of its Prometheus reporter ({@code flink_<scope>_<user
 * groups>_<metric>}, other characters as {@code _}; key/value groups become labels, e.g. {@code
 * dlq}, {@code category}, {@code topic}, {@code partition}).
 */
public final class PipelineMetrics {

  private static final String OPERATOR = "flink_taskmanager_job_task_operator_";
  private static final String JOB = "flink_jobmanager_job_";

  /**
   * Flink's reporter (port 9249 on each JobManager and TaskManager; the MiniCluster's one port).
   */
  public static final Map<String, String> FLINK = new LinkedHashMap<>();

  /** The CDC source's {@code /metrics}. */
  public static final Map<String, String> CDC = new LinkedHashMap<>();

  /** The DLQ depth monitor's {@code /metrics} ({@code dlq depth --watch --metrics-port}). */
  public static final Map<String, String> DLQ = new LinkedHashMap<>();

  static {
    // Kafka sources: lag and position.
    FLINK.put(OPERATOR + "pendingRecords", "records a source subtask has not read yet (its lag)");
    FLINK.put(
        OPERATOR + "KafkaSourceReader_KafkaConsumer_records_lag_max",
        "the largest partition lag a source subtask's consumer saw (Kafka's records-lag-max)");
    FLINK.put(
        OPERATOR + "KafkaSourceReader_topic_partition_currentOffset",
        "the next offset a source will read, per topic and partition");
    FLINK.put(
        OPERATOR + "KafkaSourceReader_topic_partition_committedOffset",
        "the offset committed to Kafka on the last checkpoint, per topic and partition");
    // Throughput.
    FLINK.put(OPERATOR + "numRecordsIn", "records into an operator (sources: read from Kafka)");
    FLINK.put(OPERATOR + "numRecordsOut", "records out of an operator");
    FLINK.put(OPERATOR + "numRecordsInPerSecond", "rate of numRecordsIn");
    FLINK.put(OPERATOR + "numRecordsOutPerSecond", "rate of numRecordsOut");
    // Checkpoints and restarts.
    FLINK.put(JOB + "lastCheckpointDuration", "end-to-end duration of the last checkpoint (ms)");
    FLINK.put(JOB + "lastCheckpointSize", "size of the last checkpoint (bytes)");
    FLINK.put(JOB + "numberOfCompletedCheckpoints", "completed checkpoints");
    FLINK.put(JOB + "numberOfFailedCheckpoints", "failed checkpoints");
    FLINK.put(JOB + "numRestarts", "job restarts");
    // Bad input, duplicates.
    FLINK.put(
        OPERATOR + "dlq_category_numDeadLetters", "dead letters written, by DLQ and category");
    FLINK.put(OPERATOR + "deserializer_numInvalidRecords", "records a source could not decode");
    FLINK.put(OPERATOR + "duplicatesDropped", "IoT readings dropped as duplicates");
    FLINK.put(OPERATOR + "duplicateEvents", "saga events dropped as duplicates");
    // Sagas.
    FLINK.put(OPERATOR + "sagasInFlight", "sagas started and not ended (gauge)");
    FLINK.put(OPERATOR + "sagasCompleted", "sagas COMPLETED");
    FLINK.put(OPERATOR + "sagasCompensated", "sagas COMPENSATED");
    FLINK.put(OPERATOR + "sagasFailed", "sagas FAILED");
    FLINK.put(OPERATOR + "sagasTimedOut", "sagas TIMED_OUT");
    FLINK.put(OPERATOR + "sagasCompensationFailed", "sagas COMPENSATION_FAILED");
    FLINK.put(OPERATOR + "deadlinesPostponed", "saga deadlines postponed while behind the input");
    FLINK.put(
        OPERATOR + "sagaDurationMillis",
        "ended sagas' duration (ms), quantiles of the last 10,000");
    // IoT windows.
    FLINK.put(OPERATOR + "tumblingWindowsFired", "tumbling windows fired");
    FLINK.put(OPERATOR + "tumblingWindowCorrections", "tumbling windows fired again (late data)");
    FLINK.put(OPERATOR + "slidingWindowsFired", "sliding windows fired");
    FLINK.put(OPERATOR + "slidingWindowCorrections", "sliding windows fired again");
    FLINK.put(OPERATOR + "numLateReadings", "readings past the allowed lateness (to iot.late)");

    CDC.put("cdc_events_published_total", "outbox events Kafka acknowledged");
    CDC.put("cdc_publish_failures_total", "sends to Kafka that failed");
    CDC.put("cdc_dead_letters_total", "outbox rows dead-lettered to cdc.outbox.dlq");
    CDC.put("cdc_engine_restarts_total", "Debezium engine restarts after an error");
    CDC.put("cdc_engine_running", "1 while the engine streams");
    CDC.put("cdc_millis_behind_source", "now minus the commit time of the last published row");
    CDC.put("cdc_replication_slot_lag_bytes", "WAL the replication slot holds back");

    DLQ.put("dlq_depth", "records waiting in a DLQ (neither purged nor replayed), by topic");
    DLQ.put("dlq_retained_records", "records still in a DLQ, replayed or not");
    DLQ.put("dlq_dead_letters_total", "dead letters seen since the monitor started, by category");
    DLQ.put("dlq_topic_exists", "1 if the DLQ topic exists");
  }

  private PipelineMetrics() {}

  /** Every name above. */
  public static Set<String> all() {
    Set<String> all = new TreeSet<>(FLINK.keySet());
    all.addAll(CDC.keySet());
    all.addAll(DLQ.keySet());
    return all;
  }
}
