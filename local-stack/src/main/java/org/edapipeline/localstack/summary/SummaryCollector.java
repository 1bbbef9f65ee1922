package org.edapipeline.localstack.summary;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.monitor.DlqMonitor;
import org.edapipeline.dlq.monitor.DlqStatus;
import org.edapipeline.dlq.monitor.MonitorOptions;
import org.edapipeline.jobs.common.EventIdDeduplicator;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link Summary} together from the real outputs: {@link OutputCounters} on the output
 * topics, the dlq tool's {@link DlqMonitor} on every dead-letter queue, Flink's REST API for the
 * jobs, checkpoints and duplicate counters, and {@link KafkaOffsets} for readings and lag. Not
 * thread-safe: one thread takes the snapshots.
 */
public final class SummaryCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SummaryCollector.class);

  /** The Flink metrics that count dropped duplicates: the IoT job's and the saga job's. */
  static final List<String> DUPLICATE_METRICS =
      List.of(EventIdDeduplicator.DUPLICATES_METRIC, "duplicateEvents");

  private final OutputCounters outputs;
  private final DlqMonitor dlq;
  private final FlinkRest flink;
  private final KafkaOffsets offsets;
  private final List<String> groups;
  private final Supplier<List<String>> servicesDown;
  private final long startedNanos = System.nanoTime();

  /**
   * @param groups the consumer groups whose lag is shown (jobs and services)
   * @param servicesDown which simulated services are down now
   */
  public SummaryCollector(
      String bootstrapServers,
      String registryUrl,
      SchemaRegistryClient registry,
      FlinkRest flink,
      List<String> groups,
      Supplier<List<String>> servicesDown) {
    this.flink = flink;
    this.groups = List.copyOf(groups);
    this.servicesDown = servicesDown;
    this.offsets = new KafkaOffsets(bootstrapServers);
    this.outputs = new OutputCounters(bootstrapServers, registry);
    this.dlq =
        new DlqMonitor(
            DlqClientConfig.of(bootstrapServers, registryUrl, Map.of()),
            MonitorOptions.all(),
            alert -> {},
            java.time.Clock.systemUTC());
  }

  /** A snapshot now. */
  public Summary snapshot() {
    OutputCounters.Counts counts = outputs.counts();
    Map<String, Long> dlqByTopic = new TreeMap<>();
    try {
      for (DlqStatus status : dlq.check()) {
        if (status.retained() > 0) {
          dlqByTopic.put(status.dlq().name(), status.retained());
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("DLQ check failed: {}", e.toString());
    }
    Map<String, Long> checkpoints = new LinkedHashMap<>();
    Map<String, String> states = new LinkedHashMap<>();
    long duplicates = 0;
    try {
      for (FlinkRest.JobOverview job : flink.jobs()) {
        states.put(
            job.name(), job.state() + " (" + job.runningTasks() + "/" + job.tasks() + " tasks)");
        checkpoints.put(job.name(), flink.completedCheckpoints(job.id()));
        duplicates += flink.metricSum(job.id(), DUPLICATE_METRICS);
      }
    } catch (IOException e) {
      LOG.debug("Flink REST: {}", e.toString());
    }
    return new Summary(
        Duration.ofNanos(System.nanoTime() - startedNanos),
        counts.sagas(SagaStatus.STARTED),
        counts.sagas(SagaStatus.COMPLETED),
        counts.sagas(SagaStatus.COMPENSATED),
        counts.sagas(SagaStatus.FAILED),
        counts.sagas(SagaStatus.TIMED_OUT),
        counts.sagas(SagaStatus.COMPENSATION_FAILED),
        offsets.records(Topics.IOT_READINGS.name()),
        counts.windows(),
        counts.corrections(),
        counts.thresholdAlerts(),
        counts.silenceAlerts(),
        counts.late(),
        dlqByTopic,
        duplicates,
        checkpoints,
        states,
        offsets.lag(groups),
        servicesDown.get());
  }

  @Override
  public void close() {
    outputs.close();
    dlq.close();
    offsets.close();
  }
}
