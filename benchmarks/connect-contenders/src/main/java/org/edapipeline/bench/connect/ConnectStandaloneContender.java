package org.edapipeline.bench.connect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * What users run instead of our CDC service: Debezium 3.6's PostgreSQL connector with the outbox
 * EventRouter in a Kafka Connect 4.2 standalone worker, in this JVM (the building blocks of {@code
 * connect-standalone.sh}: {@link ConnectStandalone#startConnect}, then the connector submitted to
 * its herder).
 *
 * <p>Configuration (spec keys): {@code pg.url}, {@code pg.user}, {@code pg.password} (optional),
 * {@code pg.slot} (an existing {@code pgoutput} slot: with {@code snapshot.mode=no_data} the
 * connector streams from its position), {@code pg.publication}, {@code bootstrap.servers}, {@code
 * run.id}, {@code work.dir} (the offsets file). The connector and the EventRouter are configured
 * key by key as ours ({@link ConnectStandaloneSettings}); converters String (key) / ByteArray
 * (value) / simple headers, so the value is the payload's bytes unchanged; producer {@code
 * acks=all}, idempotent, with our service's batching ({@link ProducerSettings}); offsets committed
 * every second. Two differences are inherent to the EventRouter: the {@code traceparent} header is
 * the row's own (an SMT has no publish span), where ours writes a child span of it; and a NULL
 * column (e.g. {@code causation_id}) becomes a header with a null value, where ours omits the
 * header. Debezium's heartbeats are dropped by a {@code Filter} transform before the converter, as
 * ours acknowledges them without a send.
 *
 * <p>Ready when the connector's task is {@code RUNNING}.
 */
public final class ConnectStandaloneContender implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final Connect<StandaloneHerder> connect;

  private ConnectStandaloneContender(Connect<StandaloneHerder> connect) {
    this.connect = connect;
  }

  /** Starts the worker and the connector; returns once the connector's task runs. */
  static ConnectStandaloneContender start(ContenderSpec spec) throws Exception {
    String jdbcUrl = spec.get(ContenderSpec.PG_URL);
    Map<String, String> connector =
        ConnectStandaloneSettings.connector(
            ConnectStandaloneSettings.database(jdbcUrl),
            spec.get(ContenderSpec.PG_USER),
            spec.get(ContenderSpec.PG_PASSWORD, null),
            spec.get(ContenderSpec.PG_SLOT),
            spec.get(ContenderSpec.PG_PUBLICATION));
    Map<String, String> worker =
        ConnectStandaloneSettings.worker(
            spec.get(ContenderSpec.BOOTSTRAP_SERVERS),
            spec.get(ContenderSpec.RUN_ID),
            spec.workDir());
    Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(worker);
    ConnectStandaloneContender contender = new ConnectStandaloneContender(connect);
    try {
      contender.validate(connector);
      FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
      connect
          .herder()
          .putConnectorConfig(ConnectStandaloneSettings.CONNECTOR_NAME, connector, false, created);
      created.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      contender.awaitTaskRunning();
      return contender;
    } catch (Exception e) {
      contender.close();
      throw e;
    }
  }

  /**
   * Fails naming every key Connect or Debezium refuses (the herder's own report of them can fail
   * with a NullPointerException instead, KAFKA-20693).
   */
  private void validate(Map<String, String> connector) throws Exception {
    FutureCallback<ConfigInfos> validated = new FutureCallback<>();
    connect.herder().validateConnectorConfig(connector, validated);
    ConfigInfos infos = validated.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (infos.errorCount() > 0) {
      String problems =
          infos.configs().stream()
              .filter(info -> info != null && info.configValue() != null)
              .filter(info -> !info.configValue().errors().isEmpty())
              .map(info -> info.configValue().name() + ": " + info.configValue().errors())
              .collect(Collectors.joining("; "));
      throw new IllegalArgumentException("Kafka Connect refuses the connector: " + problems);
    }
  }

  private void awaitTaskRunning() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    ConnectorStateInfo status = null;
    while (System.nanoTime() < deadline) {
      status = connect.herder().connectorStatus(ConnectStandaloneSettings.CONNECTOR_NAME);
      List<ConnectorStateInfo.TaskState> tasks = status.tasks();
      if (tasks.stream().anyMatch(t -> "FAILED".equals(t.state()))
          || "FAILED".equals(status.connector().state())) {
        throw new IllegalStateException("the connector failed: " + status);
      }
      if (!tasks.isEmpty() && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()))) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new IllegalStateException("the connector's task is not running: " + status);
  }

  /** Whether the connector or its task failed (the contender then exits: it cannot recover). */
  boolean failed() {
    ConnectorStateInfo status =
        connect.herder().connectorStatus(ConnectStandaloneSettings.CONNECTOR_NAME);
    return "FAILED".equals(status.connector().state())
        || status.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()));
  }

  /** Stops the connector and the worker (offsets are committed on the way). */
  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }

  /**
   * @param args the spec file
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ConnectStandaloneContender <spec-file>");
      System.exit(2);
    }
    ContenderSpec spec = ContenderSpec.load(Path.of(args[0]));
    // Connect registers its own shutdown hook (Connect.start): SIGTERM stops the worker.
    ConnectStandaloneContender contender = start(spec);
    ContenderLifecycle.ready();
    while (!contender.failed()) {
      TimeUnit.SECONDS.sleep(1);
    }
    System.err.println("ConnectStandaloneContender: the connector failed, see the log");
    System.exit(1);
  }
}
