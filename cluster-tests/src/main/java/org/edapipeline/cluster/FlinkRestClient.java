package org.edapipeline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The parts of Flink's REST API (the one behind the web UI) that submit, watch and stop jobs. Works
 * against any Flink 2 JobManager: the {@link FlinkSessionCluster} of the tests, a docker-compose
 * stack, a port-forwarded Kubernetes JobManager.
 *
 * <pre>{@code
 * FlinkRestClient rest = new FlinkRestClient(URI.create("http://localhost:8081"));
 * String jarId = rest.uploadJar(Path.of("jobs/target/eda-jobs.jar"));
 * String jobId = rest.run(jarId, JarRun.of("org.edapipeline.jobs.iot.IotAggregationJob", args));
 * rest.job(jobId).isFullyRunning();
 * rest.checkpoints(jobId).completed();
 * }</pre>
 *
 * <p>Every call is synchronous; a non-2xx answer throws a {@link FlinkClusterException} quoting
 * Flink's error. Instances are thread-safe.
 */
public final class FlinkRestClient {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SAVEPOINT_POLL = Duration.ofMillis(250);

  private final URI baseUri;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  /** A client for the REST API at {@code baseUri}, for example {@code http://localhost:8081}. */
  public FlinkRestClient(URI baseUri) {
    String base = Objects.requireNonNull(baseUri, "baseUri").toString();
    this.baseUri = URI.create(base.endsWith("/") ? base : base + "/");
    // Flink's REST server speaks HTTP/1.1 only: no h2c upgrade attempt.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** The REST API's base address. */
  public URI baseUri() {
    return baseUri;
  }

  /** {@code GET /overview}: TaskManagers, slots, running jobs. */
  public ClusterOverview overview() {
    JsonNode node = get("overview");
    return new ClusterOverview(
        node.path("flink-version").asText(),
        node.path("taskmanagers").asInt(),
        node.path("slots-total").asInt(),
        node.path("slots-available").asInt(),
        node.path("jobs-running").asInt());
  }

  /**
   * {@code POST /jars/upload}: uploads a job jar (multipart field {@code jarfile}).
   *
   * @return the jar id to {@link #run} it with
   */
  public String uploadJar(Path jar) {
    String boundary = "----eda-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      String head =
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
              + jar.getFileName()
              + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
      body.write(head.getBytes(StandardCharsets.UTF_8));
      body.write(Files.readAllBytes(jar));
      body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FlinkClusterException("Cannot read job jar " + jar, e);
    }
    HttpRequest request =
        request("jars/upload")
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    JsonNode answer = send(request, "upload " + jar);
    String stored = answer.path("filename").asText();
    if (!"success".equals(answer.path("status").asText()) || stored.isEmpty()) {
      throw new FlinkClusterException("Upload of " + jar + " was not accepted: " + answer);
    }
    return Path.of(stored).getFileName().toString();
  }

  /**
   * {@code POST /jars/{id}/run}: runs the entry class's {@code main} in the JobManager, which
   * submits the job.
   *
   * @return the job id
   */
  public String run(String jarId, JarRun run) {
    ObjectNode body = json.createObjectNode();
    body.put("entryClass", run.entryClass());
    body.putPOJO("programArgsList", run.programArgs());
    run.parallelism().ifPresent(p -> body.put("parallelism", p));
    run.savepointPath().ifPresent(path -> body.put("savepointPath", path));
    body.put("allowNonRestoredState", run.allowNonRestoredState());
    JsonNode answer = post("jars/" + jarId + "/run", body, "run " + run.entryClass());
    String jobId = answer.path("jobid").asText();
    if (jobId.isEmpty()) {
      throw new FlinkClusterException(
          "Run of " + run.entryClass() + " returned no job id: " + answer);
    }
    return jobId;
  }

  /** {@code GET /jobs/overview}: the ids of every job the cluster knows, in any state. */
  public List<String> jobIds() {
    List<String> ids = new ArrayList<>();
    get("jobs/overview").path("jobs").forEach(job -> ids.add(job.path("jid").asText()));
    return ids;
  }

  /** {@code GET /jobs/{id}}: state, vertices, their task counts and record counts. */
  public JobDetails job(String jobId) {
    JsonNode node = get("jobs/" + jobId);
    List<JobDetails.Vertex> vertices = new ArrayList<>();
    for (JsonNode vertex : node.path("vertices")) {
      JsonNode metrics = vertex.path("metrics");
      vertices.add(
          new JobDetails.Vertex(
              vertex.path("name").asText(),
              vertex.path("parallelism").asInt(),
              vertex.path("tasks").path("RUNNING").asInt(),
              metrics.path("read-records").asLong(),
              metrics.path("write-records").asLong()));
    }
    return new JobDetails(
        node.path("jid").asText(),
        node.path("name").asText(),
        node.path("state").asText(),
        vertices);
  }

  /** {@code GET /jobs/{id}/checkpoints}: checkpoint counts and the latest completed path. */
  public CheckpointCounts checkpoints(String jobId) {
    JsonNode node = get("jobs/" + jobId + "/checkpoints");
    JsonNode counts = node.path("counts");
    JsonNode latest = node.path("latest").path("completed");
    Optional<String> path =
        latest.isObject() ? Optional.of(latest.path("external_path").asText()) : Optional.empty();
    return new CheckpointCounts(
        counts.path("completed").asLong(),
        counts.path("failed").asLong(),
        counts.path("in_progress").asLong(),
        counts.path("restored").asLong(),
        path.filter(p -> !p.isEmpty() && !"<checkpoint-not-externally-addressable>".equals(p)));
  }

  /**
   * {@code GET /jobs/{id}/checkpoints/config}: the job's effective checkpointing configuration
   * (mode, interval, state backend, checkpoint storage, externalization), as Flink reports it.
   */
  public JsonNode checkpointConfig(String jobId) {
    return get("jobs/" + jobId + "/checkpoints/config");
  }

  /** {@code GET /jobs/{id}/exceptions}: the job's exception history, for failure messages. */
  public JsonNode exceptions(String jobId) {
    return get("jobs/" + jobId + "/exceptions");
  }

  /** {@code PATCH /jobs/{id}?mode=cancel}: cancels the job (returns before it is cancelled). */
  public void cancel(String jobId) {
    HttpRequest request =
        request("jobs/" + jobId + "?mode=cancel")
            .method("PATCH", HttpRequest.BodyPublishers.noBody())
            .build();
    send(request, "cancel " + jobId);
  }

  /**
   * {@code POST /jobs/{id}/savepoints}: takes a savepoint while the job goes on, and waits for it.
   *
   * @param targetDirectory where to write it, or {@code null} for the cluster's savepoint directory
   * @return the savepoint's location, to {@link JarRun#fromSavepoint restore} it
   */
  public String triggerSavepoint(String jobId, String targetDirectory, Duration timeout) {
    ObjectNode body = json.createObjectNode();
    if (targetDirectory != null) {
      body.put("target-directory", targetDirectory);
    }
    body.put("cancel-job", false);
    String requestId =
        post("jobs/" + jobId + "/savepoints", body, "savepoint " + jobId)
            .path("request-id")
            .asText();
    return awaitSavepoint(jobId, requestId, timeout);
  }

  /**
   * {@code POST /jobs/{id}/stop}: stops the job with a final savepoint (no drain: timers and
   * windows stay in the savepoint) and waits for it.
   *
   * @param targetDirectory where to write it, or {@code null} for the cluster's savepoint directory
   * @return the savepoint's location; the job reports {@code FINISHED} shortly after
   */
  public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
    ObjectNode body = json.createObjectNode();
    if (targetDirectory != null) {
      body.put("targetDirectory", targetDirectory);
    }
    body.put("drain", false);
    String requestId =
        post("jobs/" + jobId + "/stop", body, "stop " + jobId).path("request-id").asText();
    return awaitSavepoint(jobId, requestId, timeout);
  }

  private String awaitSavepoint(String jobId, String requestId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode status = get("jobs/" + jobId + "/savepoints/" + requestId);
      if ("COMPLETED".equals(status.path("status").path("id").asText())) {
        JsonNode operation = status.path("operation");
        if (operation.has("location")) {
          return operation.path("location").asText();
        }
        throw new FlinkClusterException(
            "Savepoint of job " + jobId + " failed: " + operation.path("failure-cause"));
      }
      if (Instant.now().isAfter(deadline)) {
        throw new FlinkClusterException(
            "Savepoint of job " + jobId + " not completed within " + timeout + ": " + status);
      }
      pause(SAVEPOINT_POLL);
    }
  }

  private JsonNode get(String path) {
    return send(request(path).GET().build(), "GET /" + path);
  }

  private JsonNode post(String path, JsonNode body, String what) {
    HttpRequest request =
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    return send(request, what);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(baseUri.resolve(path)).timeout(REQUEST_TIMEOUT);
  }

  private JsonNode send(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink REST call failed (" + what + ", " + request.uri() + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("Interrupted during Flink REST call " + what, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new FlinkClusterException(
          "Flink REST call "
              + what
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + abbreviate(response.body()));
    }
    try {
      String body = response.body();
      return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
    } catch (IOException e) {
      throw new FlinkClusterException(
          "Flink REST call " + what + " answered non-JSON: " + abbreviate(response.body()), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 4000 ? text : text.substring(0, 4000) + "...";
  }

  /** The poll interval of the deadline loops above: REST has no way to wait for a state change. */
  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlinkClusterException("Interrupted while waiting for Flink", e);
    }
  }
}
