package org.edapipeline.localstack.metrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scrape of a Prometheus endpoint (text format 0.0.4), parsed enough for tests: sample name,
 * labels as text, value.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, String labels, double value) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Map<String, List<Sample>> samples = new HashMap<>();

  private PrometheusText(String text) {
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      String series = line.substring(0, space);
      int brace = series.indexOf('{');
      String name = brace < 0 ? series : series.substring(0, brace);
      String labels = brace < 0 ? "" : series.substring(brace);
      double value = Double.parseDouble(line.substring(space + 1));
      samples.computeIfAbsent(name, n -> new ArrayList<>()).add(new Sample(name, labels, value));
    }
  }

  /** Parses exposition text. */
  public static PrometheusText parse(String text) {
    return new PrometheusText(text);
  }

  /** GETs {@code url} and parses the answer. */
  public static PrometheusText scrape(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    return parse(response.body());
  }

  /** The sample names present. */
  public Set<String> names() {
    return samples.keySet();
  }

  /** The samples of {@code name}; empty if none. */
  public List<Sample> samples(String name) {
    return samples.getOrDefault(name, List.of());
  }

  /** The sum of {@code name}'s samples (NaN ones skipped); 0 if none. */
  public double sum(String name) {
    return samples(name).stream().mapToDouble(Sample::value).filter(v -> !Double.isNaN(v)).sum();
  }
}
