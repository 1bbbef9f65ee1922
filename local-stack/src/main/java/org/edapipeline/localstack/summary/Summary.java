package org.edapipeline.localstack.summary;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One look at the running system, from its real outputs: the sagas' statuses on {@code saga.state},
 * the IoT job's outputs, the dead-letter queues' depth, Flink's checkpoints and metrics, the
 * consumer groups' lag, the CDC source's lag and the pipeline's throughput.
 *
 * @param uptime time since the stack was ready
 * @param ordersPlaced sagas started (STARTED on {@code saga.state})
 * @param ordersCompleted sagas COMPLETED
 * @param ordersCompensated sagas COMPENSATED
 * @param ordersFailed sagas FAILED (nothing to undo, e.g. a stock-out)
 * @param ordersTimedOut sagas that missed a deadline (TIMED_OUT)
 * @param compensationsFailed sagas whose compensation was not acknowledged in time
 * @param readings records on {@code iot.readings} (malformed ones included)
 * @param windows window results on {@code iot.aggregates} (tumbling and sliding)
 * @param corrections of which corrections of a window already emitted
 * @param thresholdAlerts THRESHOLD_BREACHED alerts on {@code iot.alerts}
 * @param silenceAlerts DEVICE_SILENT alerts
 * @param late readings on {@code iot.late}
 * @param dlqByTopic depth (records waiting for a person, the dlq tool's {@code dlq_depth}) per
 *     dead-letter queue that has any
 * @param duplicatesDropped duplicates the jobs dropped (Flink metrics {@code duplicatesDropped} and
 *     {@code duplicateEvents})
 * @param checkpointsByJob completed checkpoints per job
 * @param jobStates each job's state, {@code RUNNING (n/n tasks)}
 * @param lagByGroup records committed but not yet consumed, per consumer group
 * @param pendingByJob records the jobs' Kafka sources have not read yet (Flink's {@code
 *     pendingRecords}, summed over the sources' subtasks)
 * @param cdcPublished outbox events the CDC source published ({@code cdc_events_published_total})
 * @param cdcMillisBehindSource how far behind PostgreSQL the CDC source is ({@code
 *     cdc_millis_behind_source}; -1 before the first event)
 * @param cdcSlotLagBytes WAL the replication slot holds back ({@code
 *     cdc_replication_slot_lag_bytes}; -1 if unknown)
 * @param inPerSecond events entering the pipeline per second since the previous summary (outbox
 *     events published by CDC and readings on {@code iot.readings})
 * @param outPerSecond records the jobs committed per second since the previous summary ({@code
 *     saga.state}, {@code iot.aggregates}, {@code iot.alerts}, {@code iot.late})
 * @param servicesDown simulated services in an outage now
 */
public record Summary(
    Duration uptime,
    long ordersPlaced,
    long ordersCompleted,
    long ordersCompensated,
    long ordersFailed,
    long ordersTimedOut,
    long compensationsFailed,
    long readings,
    long windows,
    long corrections,
    long thresholdAlerts,
    long silenceAlerts,
    long late,
    Map<String, Long> dlqByTopic,
    long duplicatesDropped,
    Map<String, Long> checkpointsByJob,
    Map<String, String> jobStates,
    Map<String, Long> lagByGroup,
    Map<String, Long> pendingByJob,
    long cdcPublished,
    long cdcMillisBehindSource,
    long cdcSlotLagBytes,
    double inPerSecond,
    double outPerSecond,
    List<String> servicesDown) {

  public long alerts() {
    return thresholdAlerts + silenceAlerts;
  }

  public long dlqTotal() {
    return dlqByTopic.values().stream().mapToLong(Long::longValue).sum();
  }

  public long checkpointsCompleted() {
    return checkpointsByJob.values().stream().mapToLong(Long::longValue).sum();
  }
}
