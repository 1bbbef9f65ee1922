package org.edapipeline.cdc;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.cdc.config.InvalidConfigException;
import org.edapipeline.cdc.engine.EngineSupervisor;
import org.edapipeline.cdc.http.StatusServer;
import org.edapipeline.cdc.metrics.CdcMetrics;
import org.edapipeline.cdc.metrics.KafkaHealth;
import org.edapipeline.cdc.metrics.SlotLagPoller;
import org.edapipeline.cdc.metrics.SlotLagProbe;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.trace.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDC outbox source: Debezium's engine streaming the outbox to Kafka under an {@link
 * EngineSupervisor}, with {@code /health} and {@code /metrics}. {@link #start} returns once the
 * supervisor and the HTTP server run; {@link #close} stops cleanly, committing the offsets of
 * everything Kafka acknowledged.
 */
public final class CdcService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CdcService.class);

  private final CdcConfig config;
  private final CdcMetrics metrics = new CdcMetrics();
  private final SchemaRegistryClient registry;
  private final EngineSupervisor supervisor;
  private final KafkaHealth kafkaHealth;
  private final SlotLagPoller slotLag;
  private final StatusServer status;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Tracing tracing;
  private final boolean ownsTracing;

  private CdcService(CdcConfig config, Tracing tracing, boolean ownsTracing) {
    this.config = config;
    this.tracing = tracing;
    this.ownsTracing = ownsTracing;
    this.registry = new RestSchemaRegistryClient(config.registry());
    AvroWireSerializer<SpecificRecord> dlqSerializer = AvroWireSerializer.builder(registry).build();
    this.supervisor = new EngineSupervisor(config, metrics, dlqSerializer, tracing);
    this.kafkaHealth = new KafkaHealth(config.producer());
    this.slotLag =
        SlotLagPoller.start(
            new SlotLagProbe(config.source(), config.masker()), config.slotLagInterval());
    this.status =
        StatusServer.start(
            config.httpHost(),
            config.httpPort(),
            () -> new StatusServer.Health(metrics.engineRunning(), kafkaHealth.reachable()),
            () -> metrics.toPrometheusText(slotLag.lagBytes()));
    supervisor.start();
  }

  /**
   * Starts the service with a validated configuration, after checking that Kafka and PostgreSQL
   * accept its credentials. Spans of the publishes are exported over OTLP if {@link
   * CdcConfig#OTLP_ENDPOINT} is set; otherwise tracing is off (no SDK at all).
   *
   * @throws InvalidConfigException within seconds if Kafka or PostgreSQL refuses the credentials
   *     (naming the key), or the database role lacks {@code REPLICATION}
   */
  public static CdcService start(CdcConfig config) {
    LOG.info("Starting the CDC outbox source with{}{}", System.lineSeparator(), config);
    StartupChecks.run(config);
    Tracing tracing =
        config
            .otlpEndpoint()
            .map(endpoint -> Tracing.otlp(endpoint, config.otelServiceName()))
            .orElse(Tracing.disabled());
    return new CdcService(config, tracing, true);
  }

  /**
   * Starts the service with the caller's {@code tracing} (e.g. an in-memory exporter in a test),
   * which it uses instead of {@link CdcConfig#OTLP_ENDPOINT} and does not close.
   *
   * @throws InvalidConfigException as {@link #start(CdcConfig)}
   */
  public static CdcService start(CdcConfig config, Tracing tracing) {
    LOG.info("Starting the CDC outbox source with{}{}", System.lineSeparator(), config);
    StartupChecks.run(config);
    return new CdcService(config, Objects.requireNonNull(tracing, "tracing"), false);
  }

  /** The port of {@code /health} and {@code /metrics}. */
  public int httpPort() {
    return status.port();
  }

  public CdcMetrics metrics() {
    return metrics;
  }

  /**
   * Bytes of WAL the replication slot holds back, as last polled ({@code
   * cdc.slot.lag.interval.ms}); -1 before the first poll or if PostgreSQL did not answer.
   */
  public long slotLagBytes() {
    return slotLag.lagBytes();
  }

  /** Blocks until {@link #close()} has finished. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Stops cleanly: the batch in flight is acknowledged, offsets committed, everything closed. */
  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    synchronized (this) {
      if (closed.getCount() == 0) {
        return;
      }
      LOG.info("Stopping the CDC outbox source");
      try {
        supervisor.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      status.close();
      kafkaHealth.close();
      slotLag.close();
      registry.close();
      if (ownsTracing) {
        tracing.close(); // exports the spans still buffered
      }
      LOG.info(
          "Stopped; {} events published, offsets committed up to LSN {}",
          metrics.eventsPublished(),
          metrics.lastAcknowledgedLsn());
      closed.countDown();
    }
  }
}
