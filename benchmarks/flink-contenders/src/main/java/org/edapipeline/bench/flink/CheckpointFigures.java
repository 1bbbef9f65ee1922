package org.edapipeline.bench.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A job's checkpoint figures, read from the MiniCluster's REST API ({@code GET
 * /jobs/<id>/checkpoints}, what the web UI's checkpoint tab shows), as the metrics file's keys:
 *
 * <ul>
 *   <li>{@code checkpoint.count}: completed checkpoints;
 *   <li>{@code checkpoint.duration.p50.ms}, {@code checkpoint.duration.max.ms}: end-to-end duration
 *       over the completed checkpoints (Flink's summary);
 *   <li>{@code checkpoint.size.bytes}: the last completed checkpoint's full size ({@code
 *       state_size});
 *   <li>{@code checkpoint.incremental.size.bytes}: what that checkpoint uploaded ({@code
 *       checkpointed_size}; with RocksDB's incremental checkpoints, the new SST files only);
 *   <li>{@code state.size.bytes}: the state's size as the last completed checkpoint holds it, i.e.
 *       its full size again (not RocksDB's native {@code rocksdb.*} metrics, which count memtables
 *       and uncompacted files and are per operator; the checkpoint's size is comparable between
 *       RocksDB and the heap backend).
 * </ul>
 *
 * <p>The figures are polled while the job runs and the last good answer is kept, so they survive a
 * REST endpoint that is already going down when the JVM is stopped.
 */
final class CheckpointFigures {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final ObjectMapper json = new ObjectMapper();
  private final URI uri;
  private volatile Map<String, Long> last = Map.of();

  CheckpointFigures(String restBaseUrl, String jobId) {
    this.uri = URI.create(restBaseUrl + "/jobs/" + jobId + "/checkpoints");
  }

  /** Reads the figures now; keeps the previous ones if the REST API does not answer. */
  void refresh() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        last = parse(json.readTree(response.body()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LoggerFactory.getLogger(CheckpointFigures.class)
          .debug("checkpoint figures: {}", e.toString());
    }
  }

  /** The last figures read (empty before the first answer). */
  Map<String, Long> metrics() {
    return last;
  }

  /** The metrics of one {@code /jobs/<id>/checkpoints} answer. */
  static Map<String, Long> parse(JsonNode stats) {
    Map<String, Long> metrics = new LinkedHashMap<>();
    long completed = stats.path("counts").path("completed").asLong(0);
    metrics.put("checkpoint.count", completed);
    if (completed > 0) {
      JsonNode duration = stats.path("summary").path("end_to_end_duration");
      metrics.put("checkpoint.duration.p50.ms", Math.round(duration.path("p50").asDouble()));
      metrics.put("checkpoint.duration.max.ms", duration.path("max").asLong());
      JsonNode latest = stats.path("latest").path("completed");
      if (latest.isObject()) {
        metrics.put("checkpoint.size.bytes", latest.path("state_size").asLong());
        metrics.put("checkpoint.incremental.size.bytes", latest.path("checkpointed_size").asLong());
        metrics.put("state.size.bytes", latest.path("state_size").asLong());
      }
    }
    return metrics;
  }
}
