package org.edapipeline.cdc.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a {@link SlotLagProbe} on a schedule, on a daemon thread of its own (never the engine's nor
 * the HTTP server's), and keeps the latest answer for {@code /metrics}: a scrape never waits for
 * PostgreSQL, and a slow or unreachable database cannot stall the stream or the health check.
 */
public final class SlotLagPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlotLagPoller.class);

  private final SlotLagProbe probe;
  private final ScheduledExecutorService scheduler;
  private final AtomicLong lagBytes = new AtomicLong(-1);

  private SlotLagPoller(SlotLagProbe probe) {
    this.probe = probe;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "cdc-slot-lag");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Polls {@code probe} now and then every {@code interval}; closing the poller closes the probe.
   */
  public static SlotLagPoller start(SlotLagProbe probe, Duration interval) {
    SlotLagPoller poller = new SlotLagPoller(probe);
    poller.scheduler.scheduleWithFixedDelay(
        poller::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return poller;
  }

  private void poll() {
    try {
      lagBytes.set(probe.lagBytes());
    } catch (RuntimeException e) {
      // The probe does not throw; if it ever does, the schedule must go on.
      LOG.debug("Slot lag poll failed: {}", e.toString());
      lagBytes.set(-1);
    }
  }

  /** Bytes of WAL the slot held back at the latest poll; -1 before it or if it failed. */
  public long lagBytes() {
    return lagBytes.get();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    probe.close();
  }
}
