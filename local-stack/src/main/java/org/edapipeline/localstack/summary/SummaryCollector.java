package org.edapipeline.localstack.summary;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.edapipeline.cdc.CdcService;
import org.edapipeline.dlq.monitor.DlqStatus;
import org.edapipeline.jobs.common.EventIdDeduplicator;
import org.edapipeline.localstack.flink.FlinkRest;
import org.edapipeline.outputs.SagaStatus;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a {@link Summary} together from the real outputs: {@link OutputCounters} on the output
 * topics, the dlq tool's monitor on every dead-letter queue (the one behind the stack's DLQ metrics
 * endpoint), Flink's REST API for the jobs, checkpoints, duplicate counters and pending records,
 * {@link KafkaOffsets} for readings and lag, and the CDC source's own metrics. Rates are taken
 * between two snapshots. Not thread-safe: one thread takes the snapshots.
 */
public final class SummaryCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SummaryCollector.class);

  /** The Flink metrics that count dropped duplicates: the IoT job's and the saga job's. */
  static final List<String> DUPLICATE_METRICS =
      List.of(EventIdDeduplicator.DUPLICATES_METRIC, "duplicateEvents");

  /** Records a Kafka source has not read yet (FLIP-33's standard source metric). */
  static final List<String> PENDING_METRICS = List.of("pendingRecords");

  private final OutputCounters outputs;
  private final Supplier<List<DlqStatus>> dlq;
  private final CdcService cdc;
  private final FlinkRest flink;
  private final KafkaOffsets offsets;
  private final List<String> groups;
  private final Supplier<List<String>> servicesDown;
  private final long startedNanos = System.nanoTime();
  private long previousNanos = startedNanos;
  private long previousIn;
  private long previousOut;

  /**
   * @param dlq checks the dead-letter queues now
   * @param cdc the CDC source, for its published count and lag
   * @param groups the consumer groups whose lag is shown (jobs and services)
   * @param servicesDown which simulated services are down now
   */
  public SummaryCollector(
      String bootstrapServers,
      SchemaRegistryClient registry,
      FlinkRest flink,
      Supplier<List<DlqStatus>> dlq,
      CdcService cdc,
      List<String> groups,
      Supplier<List<String>> servicesDown) {
    this.flink = flink;
    this.dlq = dlq;
    this.cdc = cdc;
    this.groups = List.copyOf(groups);
    this.servicesDown = servicesDown;
    this.offsets = new KafkaOffsets(bootstrapServers);
    this.outputs = new OutputCounters(bootstrapServers, registry);
  }

  /** A snapshot now. */
  public Summary snapshot() {
    OutputCounters.Counts counts = outputs.counts();
    Map<String, Long> dlqByTopic = new TreeMap<>();
    try {
      for (DlqStatus status : dlq.get()) {
        if (status.depth() > 0) {
          dlqByTopic.put(status.dlq().name(), status.depth());
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("DLQ check failed: {}", e.toString());
    }
    Map<String, Long> checkpoints = new LinkedHashMap<>();
    Map<String, String> states = new LinkedHashMap<>();
    Map<String, Long> pending = new LinkedHashMap<>();
    long duplicates = 0;
    try {
      for (FlinkRest.JobOverview job : flink.jobs()) {
        states.put(
            job.name(), job.state() + " (" + job.runningTasks() + "/" + job.tasks() + " tasks)");
        checkpoints.put(job.name(), flink.completedCheckpoints(job.id()));
        duplicates += flink.metricSum(job.id(), DUPLICATE_METRICS);
        pending.put(job.name(), flink.metricSum(job.id(), PENDING_METRICS));
      }
    } catch (IOException e) {
      LOG.debug("Flink REST: {}", e.toString());
    }
    long readings = offsets.records(Topics.IOT_READINGS.name());
    long published = cdc.metrics().eventsPublished();
    long in = published + Math.max(0, readings);
    long out =
        counts.sagaStatuses().values().stream().mapToLong(Long::longValue).sum()
            + counts.windows()
            + counts.thresholdAlerts()
            + counts.silenceAlerts()
            + counts.late();
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - previousNanos) / 1e9);
    double inRate = Math.max(0, in - previousIn) / seconds;
    double outRate = Math.max(0, out - previousOut) / seconds;
    previousNanos = now;
    previousIn = in;
    previousOut = out;
    return new Summary(
        Duration.ofNanos(now - startedNanos),
        counts.sagas(SagaStatus.STARTED),
        counts.sagas(SagaStatus.COMPLETED),
        counts.sagas(SagaStatus.COMPENSATED),
        counts.sagas(SagaStatus.FAILED),
        counts.sagas(SagaStatus.TIMED_OUT),
        counts.sagas(SagaStatus.COMPENSATION_FAILED),
        readings,
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
        pending,
        published,
        cdc.metrics().millisBehindSource(),
        cdc.slotLagBytes(),
        inRate,
        outRate,
        servicesDown.get());
  }

  @Override
  public void close() {
    outputs.close();
    offsets.close();
  }
}
