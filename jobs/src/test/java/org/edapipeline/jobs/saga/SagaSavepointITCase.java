package org.edapipeline.jobs.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.edapipeline.jobs.saga.SagaOrderRecords.Published;
import org.edapipeline.outputs.SagaStateChanged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines survive a savepoint: the job is stopped with a savepoint (through the MiniCluster's
 * client) while every saga waits on its processing-time deadline, a new job is restored from it,
 * and each pending timer fires exactly once there: one TIMED_OUT (and its FAILED and CancelOrder)
 * per saga, none before the stop.
 */
class SagaSavepointITCase extends SagaJobTestBase {

  private static final int SAGAS = 20;

  /** Long enough for job A to commit every STARTED and stop before any deadline passes. */
  private static final String DEADLINE = "15 s";

  @Test
  void shouldFireEachPendingDeadlineExactlyOnceAfterARestoreFromASavepoint(
      @InjectClusterClient ClusterClient<?> client, @TempDir Path savepoints) throws Exception {
    SagaJobConfig config =
        config(
            "saga-savepoint", "--saga.deadline.inventory", DEADLINE, "--saga.retention", "10 min");
    List<Published> placed = new ArrayList<>();
    for (int i = 0; i < SAGAS; i++) {
      placed.add(new SagaOrderRecords("savepoint-" + i).placed());
    }

    JobClient first = submit(config, null);
    String savepoint;
    try {
      publish(placed);
      await().atMost(WAIT).until(() -> states().size() == SAGAS);
      savepoint =
          client
              .stopWithSavepoint(
                  first.getJobID(),
                  false,
                  savepoints.toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      first.cancel().get(30, TimeUnit.SECONDS);
      throw e;
    }
    assertThat(statusesByOrder())
        .as("every deadline was still pending when the savepoint was taken")
        .hasSize(SAGAS)
        .allSatisfy((order, statuses) -> assertThat(statuses).containsExactly("STARTED"));

    JobClient restored = submit(config, savepoint);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> states().size() >= SAGAS * 3 && commands().size() >= SAGAS);
    } finally {
      restored.cancel().get(30, TimeUnit.SECONDS);
    }
    assertThat(statusesByOrder())
        .hasSize(SAGAS)
        .allSatisfy(
            (order, statuses) ->
                assertThat(statuses).containsExactly("STARTED", "TIMED_OUT", "FAILED"));
    assertThat(commands())
        .extracting(c -> c.key() + " " + c.value().getSchema().getName())
        .containsExactlyInAnyOrderElementsOf(
            placed.stream().map(p -> p.key() + " CancelOrder").toList());
  }

  /** Builds the job and submits it, restored from {@code savepoint} unless that is null. */
  private static JobClient submit(SagaJobConfig config, String savepoint) throws Exception {
    StreamExecutionEnvironment env = environment(config, 0);
    SagaCorrelationJob.writeToKafka(
        SagaCorrelationJob.buildTopology(config, SagaCorrelationJob.fromKafka(env, config)),
        config.common());
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(savepoint == null ? "saga-savepoint-first" : "saga-savepoint-restored");
    if (savepoint != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
    }
    return env.executeAsync(graph);
  }

  private static Map<String, List<String>> statusesByOrder() {
    return states().stream()
        .map(Output::value)
        .collect(
            Collectors.groupingBy(
                SagaStateChanged::getOrderId,
                TreeMap::new,
                Collectors.mapping(s -> s.getStatus().name(), Collectors.toList())));
  }
}
