package org.edapipeline.cdc.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The service's counters and gauges, updated by the publisher and the supervisor and rendered by
 * {@link #toPrometheusText} for {@code /metrics}. Thread-safe; updates cost an add.
 */
public final class CdcMetrics {

  private final LongAdder eventsPublished = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder deadLetters = new LongAdder();
  private final LongAdder engineRestarts = new LongAdder();
  private final AtomicLong lastSourceCommitMillis = new AtomicLong(-1);
  private final AtomicLong lastAcknowledgedLsn = new AtomicLong(-1);
  private final LongSupplier clock;
  private volatile boolean engineRunning;
  private volatile boolean caughtUp = true;

  public CdcMetrics() {
    this(System::currentTimeMillis);
  }

  CdcMetrics(LongSupplier clock) {
    this.clock = clock;
  }

  /** {@code count} events were acknowledged by Kafka on their outbox topics. */
  public void published(int count) {
    eventsPublished.add(count);
  }

  /** A send failed (it is retried by an engine restart, or dead-lettered if it never can be). */
  public void publishFailed() {
    publishFailures.increment();
  }

  /** A row was written to the CDC dead-letter topic. */
  public void deadLettered() {
    deadLetters.increment();
  }

  /** The engine stopped with an error and is restarted. */
  public void engineRestarted() {
    engineRestarts.increment();
  }

  public void engineRunning(boolean running) {
    this.engineRunning = running;
  }

  public boolean engineRunning() {
    return engineRunning;
  }

  /**
   * A batch was acknowledged: its last row was committed in PostgreSQL at {@code commitMillis}
   * (negative if unknown) and is at {@code lsn} in the WAL.
   */
  public void acknowledged(long commitMillis, long lsn) {
    if (commitMillis >= 0) {
      lastSourceCommitMillis.set(commitMillis);
    }
    if (lsn >= 0) {
      lastAcknowledgedLsn.accumulateAndGet(lsn, Math::max);
    }
    caughtUp = false;
  }

  /** Only heartbeats were seen since the last event: nothing committed is waiting. */
  public void idle() {
    caughtUp = true;
  }

  public long eventsPublished() {
    return eventsPublished.sum();
  }

  public long publishFailures() {
    return publishFailures.sum();
  }

  public long deadLetters() {
    return deadLetters.sum();
  }

  public long engineRestarts() {
    return engineRestarts.sum();
  }

  /** The highest WAL position whose rows Kafka acknowledged; -1 before the first. */
  public long lastAcknowledgedLsn() {
    return lastAcknowledgedLsn.get();
  }

  /**
   * How far behind the source the last acknowledged event is: now minus its commit time; 0 when the
   * stream is idle (only heartbeats since), -1 before the first event.
   */
  public long millisBehindSource() {
    long commit = lastSourceCommitMillis.get();
    if (commit < 0) {
      return -1;
    }
    return caughtUp ? 0 : Math.max(0, clock.getAsLong() - commit);
  }

  /**
   * The metrics in Prometheus' text exposition format (version 0.0.4).
   *
   * @param slotLagBytes bytes of WAL the replication slot holds back, or negative if unknown
   */
  public String toPrometheusText(long slotLagBytes) {
    StringBuilder out = new StringBuilder(1024);
    counter(
        out,
        "cdc_events_published_total",
        "Outbox events acknowledged by Kafka.",
        eventsPublished());
    counter(out, "cdc_publish_failures_total", "Sends to Kafka that failed.", publishFailures());
    counter(
        out,
        "cdc_dead_letters_total",
        "Outbox rows written to the CDC dead-letter topic.",
        deadLetters());
    counter(
        out,
        "cdc_engine_restarts_total",
        "Restarts of the Debezium engine after an error.",
        engineRestarts());
    gauge(out, "cdc_engine_running", "1 while the Debezium engine streams.", engineRunning ? 1 : 0);
    gauge(
        out,
        "cdc_millis_behind_source",
        "Now minus the commit time of the last acknowledged event; 0 when idle, -1 before any.",
        millisBehindSource());
    gauge(
        out,
        "cdc_replication_slot_lag_bytes",
        "WAL bytes between the server's current position and the slot's confirmed_flush_lsn; -1 if unknown.",
        slotLagBytes < 0 ? -1 : slotLagBytes);
    gauge(
        out,
        "cdc_last_acknowledged_lsn",
        "WAL position (LSN as a number) of the last row Kafka acknowledged; -1 before any.",
        lastAcknowledgedLsn());
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    metric(out, name, "counter", help, value);
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    metric(out, name, "gauge", help, value);
  }

  private static void metric(StringBuilder out, String name, String type, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(value).append('\n');
  }
}
