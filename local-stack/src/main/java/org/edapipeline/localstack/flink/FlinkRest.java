package org.edapipeline.localstack.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads what the Flink web UI shows through its REST API: the jobs and their tasks, completed
 * checkpoints, and operator metrics summed over subtasks. Thread-safe.
 */
public final class FlinkRest {

  /** One job of {@code /jobs/overview}. */
  public record JobOverview(String id, String name, String state, int tasks, int runningTasks) {

    /** RUNNING with every task running (a job is RUNNING while its tasks still wait for slots). */
    public boolean fullyRunning() {
      return "RUNNING".equals(state) && tasks > 0 && runningTasks == tasks;
    }
  }

  /** A vertex's metric ids that end with one of the wanted names. */
  private record VertexMetrics(String vertexId, List<String> metricIds) {}

  /** The metric ids found for a job and names, and when. */
  private record FoundMetrics(List<VertexMetrics> vertices, long foundNanos) {}

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long found metric ids are reused: some metrics are registered late (a Kafka source's {@code
   * pendingRecords} once its first records arrived), so the search is repeated now and then.
   */
  private static final Duration REDISCOVER_AFTER = Duration.ofSeconds(30);

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();

  /** Found metric ids by job id and wanted names. */
  private final Map<String, FoundMetrics> metricIds = new ConcurrentHashMap<>();

  /**
   * @param baseUrl the web UI's address, e.g. {@code http://127.0.0.1:8081}
   */
  public FlinkRest(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** {@code GET /jobs/overview}. */
  public List<JobOverview> jobs() throws IOException {
    List<JobOverview> jobs = new ArrayList<>();
    for (JsonNode job : get("/jobs/overview").path("jobs")) {
      JsonNode tasks = job.path("tasks");
      jobs.add(
          new JobOverview(
              job.path("jid").asText(),
              job.path("name").asText(),
              job.path("state").asText(),
              tasks.path("total").asInt(),
              tasks.path("running").asInt()));
    }
    return jobs;
  }

  /** The names of a job's vertices (chains of operators), as the web UI's graph shows them. */
  public List<String> vertexNames(String jobId) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      names.add(vertex.path("name").asText());
    }
    return names;
  }

  /** Completed checkpoints of a job ({@code /jobs/:id/checkpoints}, {@code counts.completed}). */
  public long completedCheckpoints(String jobId) throws IOException {
    return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
  }

  /**
   * The sum over all operators and subtasks of a job of the metrics whose name is one of {@code
   * names} (e.g. {@code duplicatesDropped}), as {@code /jobs/:id/vertices/:vid/subtasks/metrics}
   * aggregates them.
   */
  public long metricSum(String jobId, List<String> names) throws IOException {
    String key = jobId + " " + String.join(",", names);
    FoundMetrics found = metricIds.get(key);
    if (found == null || System.nanoTime() - found.foundNanos() > REDISCOVER_AFTER.toNanos()) {
      found = new FoundMetrics(findMetrics(jobId, names), System.nanoTime());
      if (found.vertices().isEmpty()) {
        return 0; // operators not open yet: their metrics appear once they run
      }
      metricIds.put(key, found);
    }
    List<VertexMetrics> vertices = found.vertices();
    long sum = 0;
    for (VertexMetrics vertex : vertices) {
      String ids =
          vertex.metricIds().stream()
              .map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
              .collect(Collectors.joining(","));
      JsonNode values =
          get(
              "/jobs/"
                  + jobId
                  + "/vertices/"
                  + vertex.vertexId()
                  + "/subtasks/metrics?agg=sum&get="
                  + ids);
      for (JsonNode value : values) {
        sum += (long) value.path("sum").asDouble();
      }
    }
    return sum;
  }

  private List<VertexMetrics> findMetrics(String jobId, List<String> names) throws IOException {
    List<VertexMetrics> found = new ArrayList<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      String vertexId = vertex.path("id").asText();
      List<String> ids = new ArrayList<>();
      for (JsonNode metric :
          get("/jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics")) {
        String id = metric.path("id").asText();
        if (names.stream().anyMatch(name -> id.endsWith("." + name))) {
          ids.add(id);
        }
      }
      if (!ids.isEmpty()) {
        found.add(new VertexMetrics(vertexId, ids));
      }
    }
    return found;
  }

  private JsonNode get(String path) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET " + path + " answered " + response.statusCode());
      }
      return json.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted: GET " + path, e);
    }
  }
}
