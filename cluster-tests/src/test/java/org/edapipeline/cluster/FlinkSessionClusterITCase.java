package org.edapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.edapipeline.cluster.KafkaTopics.CommittedReader;
import org.edapipeline.cluster.fixturejob.KeyCountJob;
import org.edapipeline.embedded.junit.KafkaExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link FlinkSessionCluster} fixture against a real job: a small keyed-count job (RocksDB
 * state, Kafka source, exactly-once Kafka sink), packaged into its own jar at test time, uploaded
 * and run through the REST API on a JobManager and a TaskManager in two separate JVMs configured by
 * {@code flink-conf/config.yaml}.
 */
class FlinkSessionClusterITCase {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final int KEYS = 10;
  private static final int RECORDS_PER_KEY = 3;
  // The REST run handler does not apply the cluster's parallelism.default (it runs at 1): say it.
  private static final int PARALLELISM = 2;

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  private static FlinkSessionCluster cluster;
  private static String jarId;

  @BeforeAll
  static void startCluster(@TempDir Path jarDirectory) throws Exception {
    Path jar =
        JobJar.of(KeyCountJob.class)
            .bundling(KafkaSource.class) // flink-connector-kafka
            .bundling(KafkaProducer.class) // kafka-clients
            .writeTo(jarDirectory.resolve("key-count-job.jar"));
    cluster = FlinkSessionCluster.builder().start();
    jarId = cluster.rest().uploadJar(jar);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void shouldRunUploadedJarWithCheckpointsAndCommitEveryCountExactlyOnce() throws Exception {
    String input = "counts-in";
    String output = "counts-out";
    KAFKA.createTopic(input, 3);
    KAFKA.createTopic(output, 3);
    List<String> keys = IntStream.range(0, KEYS).mapToObj(i -> "key-" + i).toList();
    KafkaTopics.produce(KAFKA, input, repeat(keys, RECORDS_PER_KEY));

    String jobId = cluster.rest().run(jarId, keyCountJob(input, output));

    awaitFullyRunning(jobId);
    JobDetails job = cluster.rest().job(jobId);
    assertThat(job.totalTasks()).as("two vertices at parallelism 2: " + job).isEqualTo(4);
    assertThat(job.vertexNames()).anySatisfy(name -> assertThat(name).contains("Count per string"));

    List<String> expected =
        keys.stream()
            .flatMap(key -> IntStream.rangeClosed(1, RECORDS_PER_KEY).mapToObj(n -> key + "=" + n))
            .toList();
    try (CommittedReader reader = KafkaTopics.committedReader(KAFKA, output)) {
      await()
          .atMost(JOB_TIMEOUT)
          .pollInterval(POLL)
          .until(() -> reader.poll().size() >= expected.size() || jobEnded(jobId));
      await().atMost(JOB_TIMEOUT).pollInterval(POLL).until(() -> completedCheckpoints(jobId) >= 2);
      assertThat(reader.poll()).containsExactlyInAnyOrderElementsOf(expected);
    }

    JsonNode checkpointConfig = cluster.rest().checkpointConfig(jobId);
    assertThat(checkpointConfig.path("mode").asText()).isEqualToIgnoringCase("exactly_once");
    assertThat(checkpointConfig.path("state_backend").asText()).containsIgnoringCase("RocksDB");
    assertThat(checkpointConfig.path("state_changelog_enabled").asBoolean()).isFalse();
    assertThat(checkpointConfig.path("externalization").path("enabled").asBoolean()).isTrue();
    assertThat(checkpointConfig.path("externalization").path("delete_on_cancellation").asBoolean())
        .as("RETAIN_ON_CANCELLATION from config.yaml")
        .isFalse();

    cluster.rest().cancel(jobId);
    await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(POLL)
        .until(() -> "CANCELED".equals(cluster.rest().job(jobId).state()));
    assertThat(retainedCheckpoints(jobId))
        .as("a completed checkpoint kept after cancel, with its _metadata")
        .isNotEmpty();
  }

  @Test
  void shouldStopWithSavepointAndResumeWithTheKeyedStateFromIt() throws Exception {
    String input = "resume-in";
    String output = "resume-out";
    KAFKA.createTopic(input, 3);
    KAFKA.createTopic(output, 3);
    KafkaTopics.produce(KAFKA, input, List.of("apple", "apple"));

    String firstRun = cluster.rest().run(jarId, keyCountJob(input, output));
    awaitFullyRunning(firstRun);
    try (CommittedReader reader = KafkaTopics.committedReader(KAFKA, output)) {
      await()
          .atMost(JOB_TIMEOUT)
          .pollInterval(POLL)
          .until(() -> reader.poll().contains("apple=2") || jobEnded(firstRun));

      String savepoint = cluster.rest().stopWithSavepoint(firstRun, null, JOB_TIMEOUT);
      assertThat(Path.of(URI.create(savepoint))).startsWith(cluster.savepointDirectory());
      // the savepoint completes just before the job reports FINISHED
      await()
          .atMost(JOB_TIMEOUT)
          .pollInterval(POLL)
          .until(() -> cluster.rest().job(firstRun).state(), "FINISHED"::equals);

      KafkaTopics.produce(KAFKA, input, List.of("apple"));
      String secondRun =
          cluster.rest().run(jarId, keyCountJob(input, output).fromSavepoint(savepoint));
      awaitFullyRunning(secondRun);
      await()
          .atMost(JOB_TIMEOUT)
          .pollInterval(POLL)
          .until(() -> reader.poll().contains("apple=3") || jobEnded(secondRun));

      assertThat(reader.poll())
          .as("the count went on from the savepoint; the source resumed after its offsets")
          .containsExactlyInAnyOrder("apple=1", "apple=2", "apple=3");
      assertThat(cluster.rest().checkpoints(secondRun).restored()).isEqualTo(1);
      cluster.rest().cancel(secondRun);
    }
  }

  @Test
  void shouldServePrometheusMetricsFromBothProcesses() throws Exception {
    assertThat(scrape(cluster.jobManagerPrometheusPort().orElseThrow()))
        .containsPattern("(?m)^flink_jobmanager_numRegisteredTaskManagers\\{.*\\} 1\\.0$");
    assertThat(scrape(cluster.taskManagerPrometheusPort().orElseThrow()))
        .contains("flink_taskmanager_Status_JVM_Memory_Heap_Used");
  }

  @Test
  void shouldRunTheProcessesOnTheFlinkClasspathAndTheProjectConfiguration() {
    assertThat(cluster.isRunning()).isTrue();
    ClusterOverview overview = cluster.rest().overview();
    assertThat(overview.flinkVersion()).isEqualTo("2.2.1");
    assertThat(overview.taskManagers()).isEqualTo(1);
    assertThat(overview.slotsTotal()).isEqualTo(4);
    assertThat(cluster.configuration())
        .containsEntry("state.backend.type", "rocksdb")
        .containsEntry("execution.checkpointing.incremental", "true")
        .containsEntry("pipeline.generic-types", "false")
        .containsEntry("restart-strategy.type", "none");
  }

  private static JarRun keyCountJob(String input, String output) {
    return JarRun.of(
            KeyCountJob.class.getName(),
            List.of(
                "--bootstrap-servers",
                KAFKA.bootstrapServers(),
                "--input-topic",
                input,
                "--output-topic",
                output,
                "--transaction-timeout-ms",
                "60000"))
        .withParallelism(PARALLELISM);
  }

  private static void awaitFullyRunning(String jobId) {
    await()
        .atMost(JOB_TIMEOUT)
        .pollInterval(POLL)
        .until(
            () -> {
              if (jobEnded(jobId)) {
                fail(
                    "Job "
                        + jobId
                        + " ended: "
                        + cluster.rest().exceptions(jobId)
                        + cluster.describe());
              }
              return cluster.rest().job(jobId).isFullyRunning();
            });
  }

  private static boolean jobEnded(String jobId) {
    JobDetails job = cluster.rest().job(jobId);
    if (job.isTerminal()) {
      fail("Job " + jobId + " is " + job.state() + ": " + cluster.rest().exceptions(jobId));
    }
    return false;
  }

  private static long completedCheckpoints(String jobId) {
    return cluster.rest().checkpoints(jobId).completed();
  }

  private static List<Path> retainedCheckpoints(String jobId) throws Exception {
    Path jobCheckpoints = cluster.checkpointDirectory().resolve(jobId);
    if (!Files.isDirectory(jobCheckpoints)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(jobCheckpoints)) {
      return children
          .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
          .filter(dir -> Files.isRegularFile(dir.resolve("_metadata")))
          .toList();
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  private static List<String> repeat(List<String> values, int times) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      all.addAll(values);
    }
    return all;
  }
}
