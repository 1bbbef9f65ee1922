package org.edapipeline.dlq.monitor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import org.edapipeline.dlq.kafka.DlqOffsets;
import org.edapipeline.dlq.kafka.DlqTopic;
import org.edapipeline.dlq.read.DlqScanner;
import org.edapipeline.dlq.read.OffsetRange;
import org.edapipeline.dlq.replay.Replayer;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.DlqDepthAlert;
import org.edapipeline.outputs.ErrorCategory;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches dead-letter queues: their depth, the categories of new dead letters, and a depth
 * threshold.
 *
 * <p><b>Depth</b> is what waits for a person: per partition, the last stable offset minus the
 * larger of the log start offset (records before it were purged or expired) and the committed
 * offset of the {@linkplain MonitorOptions#replayJob() replay job} (records it passed were
 * replayed, refused or filtered out by it), summed over partitions.
 *
 * <p><b>Categories</b>: each {@link #check()} reads the records that arrived since the previous one
 * (all retained records at the first) and counts them by {@link ErrorCategory}.
 *
 * <p><b>Alert</b>: when a queue's depth reaches the threshold (it was below, or this is the first
 * check), the monitor logs a WARN line and hands a {@link DlqDepthAlert} to its {@link AlertSink};
 * once the depth falls below the threshold again, the next crossing raises a new alert.
 *
 * <p>Not thread-safe: one thread calls {@link #check()}; {@link #lastStatuses()} may be read from
 * any thread (the metrics endpoint).
 */
public final class DlqMonitor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DlqMonitor.class);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final MonitorOptions options;
  private final AlertSink alerts;
  private final Clock clock;
  private final Admin admin;
  private final DlqOffsets offsets;
  private final SchemaRegistryClient registry;
  private final AvroWireDeserializer<DeadLetter> decoder;
  private final Consumer<byte[], byte[]> consumer;
  private final DlqScanner scanner;

  private final Map<TopicPartition, Long> counted = new HashMap<>();
  private final Map<String, EnumMap<ErrorCategory, Long>> totals = new HashMap<>();
  private final Map<String, Long> undecodable = new HashMap<>();
  private final Map<String, Boolean> alerting = new HashMap<>();
  private final Map<String, Long> alertsRaised = new HashMap<>();
  private volatile List<DlqStatus> last = List.of();

  /**
   * @param alerts where alerts go; {@code alert -> {}} to only log them
   */
  public DlqMonitor(DlqClientConfig config, MonitorOptions options, AlertSink alerts, Clock clock) {
    this.options = options;
    this.alerts = alerts;
    this.clock = clock;
    this.admin = Admin.create(config.admin("dlq-monitor"));
    this.offsets = new DlqOffsets(admin);
    this.registry = new RestSchemaRegistryClient(config.registry());
    this.decoder = AvroWireDeserializer.forSpecific(registry, DeadLetter.class);
    this.consumer = new KafkaConsumer<>(config.consumer("dlq-monitor", null));
    this.scanner = new DlqScanner(consumer, decoder, IDLE_TIMEOUT);
  }

  public MonitorOptions options() {
    return options;
  }

  /**
   * Looks at every queue once: depth, new dead letters, threshold.
   *
   * @throws org.edapipeline.dlq.DlqException if Kafka or the registry fail; the next check
   *     continues from what this one completed
   */
  public List<DlqStatus> check() {
    List<DlqStatus> statuses = new ArrayList<>();
    for (DlqTopic dlq : options.topics()) {
      statuses.add(check(dlq));
    }
    last = List.copyOf(statuses);
    return last;
  }

  /** The statuses of the latest completed {@link #check()}; empty before the first. */
  public List<DlqStatus> lastStatuses() {
    return last;
  }

  private DlqStatus check(DlqTopic dlq) {
    String name = dlq.name();
    EnumMap<ErrorCategory, Long> total =
        totals.computeIfAbsent(name, n -> new EnumMap<>(ErrorCategory.class));
    if (!offsets.exists(name)) {
      return new DlqStatus(dlq, false, 0, 0, Map.of(), total, 0, false, Optional.empty(), 0);
    }
    Map<Integer, OffsetRange> ranges = offsets.ranges(name);
    Map<Integer, Long> replayed =
        offsets.groupOffsets(Replayer.groupId(dlq, options.replayJob()), name);
    long depth = 0;
    long retained = 0;
    Map<TopicPartition, Long> from = new HashMap<>();
    Map<TopicPartition, Long> until = new HashMap<>();
    for (Map.Entry<Integer, OffsetRange> entry : ranges.entrySet()) {
      OffsetRange range = entry.getValue();
      long handled = range.clamp(replayed.getOrDefault(entry.getKey(), range.start()));
      depth += range.end() - handled;
      retained += range.size();
      TopicPartition tp = new TopicPartition(name, entry.getKey());
      from.put(tp, range.clamp(counted.getOrDefault(tp, range.start())));
      until.put(tp, range.end());
    }
    EnumMap<ErrorCategory, Long> recent = new EnumMap<>(ErrorCategory.class);
    scanner.scan(
        from,
        until,
        entry -> {
          if (entry.decoded()) {
            recent.merge(entry.deadLetter().getErrorCategory(), 1L, Long::sum);
          } else {
            undecodable.merge(name, 1L, Long::sum);
          }
          counted.put(new TopicPartition(name, entry.partition()), entry.offset() + 1);
          return true;
        });
    counted.putAll(until);
    recent.forEach((category, count) -> total.merge(category, count, Long::sum));
    Optional<DlqDepthAlert> raised = threshold(dlq, depth, retained, recent);
    return new DlqStatus(
        dlq,
        true,
        depth,
        retained,
        recent,
        total,
        undecodable.getOrDefault(name, 0L),
        alerting.getOrDefault(name, false),
        raised,
        alertsRaised.getOrDefault(name, 0L));
  }

  private Optional<DlqDepthAlert> threshold(
      DlqTopic dlq, long depth, long retained, Map<ErrorCategory, Long> recent) {
    if (options.threshold().isEmpty()) {
      return Optional.empty();
    }
    long threshold = options.threshold().getAsLong();
    String name = dlq.name();
    boolean was = alerting.getOrDefault(name, false);
    boolean is = depth >= threshold;
    alerting.put(name, is);
    if (!is) {
      if (was) {
        LOG.info("DLQ {} depth {} is below the alert threshold {} again", name, depth, threshold);
      }
      return Optional.empty();
    }
    if (was) {
      return Optional.empty(); // still above: alerted at the crossing
    }
    DlqDepthAlert alert = alert(dlq, depth, threshold, retained, recent);
    LOG.warn(
        "DLQ ALERT {}: depth {} reached the threshold {} ({} retained, new since last check: {})",
        name,
        depth,
        threshold,
        retained,
        alert.getRecentByCategory());
    alertsRaised.merge(name, 1L, Long::sum);
    try {
      alerts.publish(alert);
    } catch (Exception e) {
      // The WARN line above is the alert of last resort; the check itself goes on.
      LOG.error("Could not publish the alert for {}: {}", name, e.toString());
    }
    return Optional.of(alert);
  }

  private DlqDepthAlert alert(
      DlqTopic dlq, long depth, long threshold, long retained, Map<ErrorCategory, Long> recent) {
    UUID id = UUID.randomUUID();
    var now = clock.instant();
    Map<String, Long> byCategory = new java.util.TreeMap<>();
    recent.forEach((category, count) -> byCategory.put(category.name(), count));
    return DlqDepthAlert.newBuilder()
        .setMetadata(
            EventMetadata.newBuilder()
                .setEventId(id)
                .setEventType(DlqDepthAlert.class.getSimpleName())
                .setSchemaVersion(1)
                .setAggregateType("dlq")
                .setAggregateId(dlq.name())
                .setCorrelationId(id.toString())
                .setOccurredAt(now)
                .build())
        .setDlqTopic(dlq.name())
        .setSourceTopic(dlq.source().map(Topic::name).orElse(null))
        .setDepth(depth)
        .setThreshold(threshold)
        .setRetainedRecords(retained)
        .setRecentByCategory(byCategory)
        .setDetectedAt(now)
        .build();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
    decoder.close();
    registry.close();
    admin.close(Duration.ofSeconds(5));
  }
}
