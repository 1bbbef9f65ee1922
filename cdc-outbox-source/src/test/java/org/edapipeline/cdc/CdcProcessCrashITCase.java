package org.edapipeline.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.edapipeline.cdc.CdcTestSupport.PATIENCE;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.edapipeline.cdc.config.SecretMasker;
import org.junit.jupiter.api.Test;

/**
 * The fat jar in a JVM of its own, killed with {@code kill -9} while rows stream and started again:
 * every committed row is in Kafka, duplicates are bounded repeats of the same event ids. Then a
 * SIGTERM: the service flushes, commits its offsets and exits, and the next start repeats nothing.
 */
class CdcProcessCrashITCase extends CdcITCaseBase {

  @Test
  void shouldDeliverEveryCommittedRowAcrossKillMinus9AndRepeatNothingAfterSigterm()
      throws Exception {
    Map<String, String> values = freshDatabaseAndConfig();
    Path directory = Path.of("target", "cdc-process", database);
    CdcProcess cdc = new CdcProcess(values, CdcTestSupport.environment(PG), directory);
    resources.add(cdc);
    cdc.start();
    awaitHealthy(cdc);

    OutboxLoad load = new OutboxLoad(dataSource, writer, run, 20);
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Void> writing =
        CompletableFuture.runAsync(
            () -> {
              try {
                load.writeUntil(2, stop, 4000);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    awaitPublished(cdc, 500);

    cdc.kill(); // mid-stream: batches sent but not yet committed as offsets
    long committedAtKill = load.committed.size();
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> load.committed.size() > committedAtKill + 200 || writing.isDone());
    cdc.start();
    awaitHealthy(cdc);
    awaitPublished(cdc, 200);
    stop.set(true);
    writing.get(30, TimeUnit.SECONDS);

    int duplicatesAfterKill = assertEveryCommittedEventArrived(load);
    assertThat(duplicatesAfterKill)
        .as("duplicates after kill -9 (bounded by what was sent since the last offset commit)")
        .isLessThanOrEqualTo(load.committed.size() / 4);

    int exitCode = cdc.terminate();
    assertThat(exitCode).as("exit on SIGTERM, log:%n%s", cdc.logTail()).isIn(0, 143);
    assertThat(cdc.log())
        .contains("Stopped;", "offsets committed up to LSN")
        .as("the password from the environment is masked where the configuration is logged")
        .contains("debezium.source.database.password=" + SecretMasker.MASK);

    load.write(2, 100); // while the service is down
    cdc.start();
    awaitHealthy(cdc);
    int duplicatesAfterSigterm = assertEveryCommittedEventArrived(load);
    assertThat(duplicatesAfterSigterm)
        .as("a clean stop commits every acknowledged offset: nothing is sent twice")
        .isEqualTo(duplicatesAfterKill);
  }

  private void awaitHealthy(CdcProcess cdc) {
    Awaitility.await()
        .atMost(PATIENCE)
        .failFast("the CDC process exited", () -> !cdc.isAlive())
        .ignoreExceptions()
        .until(
            () ->
                get(cdc.httpPort(), "/health").statusCode() == 200
                    && CdcTestSupport.slotActive(dataSource, slot));
  }

  private static void awaitPublished(CdcProcess cdc, long atLeast) {
    Awaitility.await()
        .atMost(PATIENCE)
        .failFast("the CDC process exited", () -> !cdc.isAlive())
        .ignoreExceptions()
        .until(
            () -> {
              HttpResponse<String> metrics = get(cdc.httpPort(), "/metrics");
              return gauge(metrics.body(), "cdc_events_published_total") >= atLeast;
            });
  }
}
