package org.edapipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.cdc.CdcTestSupport.PATIENCE;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.edapipeline.cdc.config.CdcConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults while rows stream, with the service in this JVM: Kafka stopped for a while, PostgreSQL
 * restarted. Nothing committed may be lost, and the service must recover by itself; {@code /health}
 * answers 503 while Kafka is away and 200 once it is back.
 */
class CdcRecoveryITCase extends CdcITCaseBase {

  /** Longer than the producer's delivery timeout below: sends fail and the engine restarts. */
  private static final Duration KAFKA_DOWN = Duration.ofSeconds(8);

  private static final Duration PACE = Duration.ofMillis(25);

  @Test
  void shouldLoseNothingWhenKafkaStopsAndComesBackMidStream() throws Exception {
    CdcService service =
        startService(
            Map.of(
                "debezium.sink.kafka.producer.request.timeout.ms", "2000",
                "debezium.sink.kafka.producer.delivery.timeout.ms", "4000",
                "debezium.sink.kafka.producer.max.block.ms", "3000",
                // Otherwise the handler may sit out the whole outage in one offset flush.
                "debezium.source.offset.flush.timeout.ms", "1000"));
    OutboxLoad load = new OutboxLoad(dataSource, writer, run, 20);
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> writing = writeInBackground(load, stop);
    awaitMorePublished(service, 200);

    KAFKA.broker().stop();
    long writtenWhileDown = load.committed.size();
    Awaitility.await()
        .pollDelay(KAFKA_DOWN)
        // Generous: on a loaded machine the writer may need a while to commit its next row.
        .atMost(KAFKA_DOWN.plus(PATIENCE))
        .until(() -> load.committed.size() > writtenWhileDown);
    awaitHealth(service, 503, "\"status\":\"DOWN\"", "\"kafka\":\"UNREACHABLE\"");
    KAFKA.broker().restart();
    awaitMorePublished(service, service.metrics().eventsPublished() + 200);
    awaitHealth(
        service, 200, "\"status\":\"UP\"", "\"engine\":\"RUNNING\"", "\"kafka\":\"REACHABLE\"");
    stop.set(true);
    writing.get(30, TimeUnit.SECONDS);

    int duplicates = assertEveryCommittedEventArrived(load);
    assertThat(load.committed.size()).isGreaterThan(400);
    assertThat(duplicates).as("duplicates").isLessThanOrEqualTo(load.committed.size() / 2);
    Awaitility.await().atMost(PATIENCE).until(() -> service.metrics().engineRunning());
    assertThat(service.metrics().engineRestarts())
        .as("Kafka was away longer than the delivery timeout: the engine failed and was restarted")
        .isPositive();
    assertThat(service.metrics().publishFailures()).isPositive();
  }

  /** Also the one test of the file offset store (the selectable alternative to the topic). */
  @Test
  void shouldLoseNothingWhenPostgresRestartsMidStream(@TempDir Path offsets) throws Exception {
    CdcService service =
        startService(
            Map.of(
                CdcConfig.OFFSET_STORAGE,
                "file",
                CdcConfig.OFFSET_FILE,
                offsets.resolve("offsets.dat").toString()));
    OutboxLoad load = new OutboxLoad(dataSource, writer, run, 20);
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> writing = burstInBackground(load, stop);
    awaitMorePublished(service, 200);

    PG.server().stop();
    PG.server().restart();
    // Recovered without a manual step: the engine streams again and new rows arrive.
    awaitMorePublished(service, service.metrics().eventsPublished() + 300);
    stop.set(true);
    writing.get(30, TimeUnit.SECONDS);

    int duplicates = assertEveryCommittedEventArrived(load);
    assertThat(load.failures).as("the writers saw PostgreSQL go away").isNotEmpty();
    assertThat(offsets.resolve("offsets.dat"))
        .as("offsets were committed to the file")
        .isNotEmptyFile();
    assertThat(duplicates).as("duplicates").isLessThanOrEqualTo(load.committed.size() / 2);
  }

  /** Up to 5,000 transactions on two threads that reconnect after PostgreSQL restarts. */
  private static CompletableFuture<Void> burstInBackground(OutboxLoad load, AtomicBoolean stop) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            load.writeUntil(2, stop, 5000);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private static CompletableFuture<Void> writeInBackground(OutboxLoad load, AtomicBoolean stop) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            // A paced load that lasts until the test stops it: a bounded burst could be over
            // before Kafka is stopped on a slow start, and the outage would then see no writes.
            while (!stop.get()) {
              load.write(2, 4);
              LockSupport.parkNanos(PACE.toNanos());
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Polls {@code /health} until it answers {@code status} with a body containing {@code parts}. */
  private static void awaitHealth(CdcService service, int status, String... parts) {
    Awaitility.await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              HttpResponse<String> health = get(service.httpPort(), "/health");
              assertThat(health.statusCode()).as("/health: %s", health.body()).isEqualTo(status);
              assertThat(health.body()).contains(parts);
            });
  }

  private static void awaitMorePublished(CdcService service, long atLeast) {
    Awaitility.await().atMost(PATIENCE).until(() -> service.metrics().eventsPublished() >= atLeast);
  }
}
