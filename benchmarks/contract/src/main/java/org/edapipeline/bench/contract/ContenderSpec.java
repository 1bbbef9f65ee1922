package org.edapipeline.bench.contract;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The properties file a contender process is started with ({@code java … <main> <spec-file>}).
 *
 * <p>The harness writes it; the contender reads it once at start through the typed getters, which
 * fail fast with the missing or malformed key named. Keys a contender does not use are ignored, so
 * one spec shape serves every contender of a suite.
 */
public final class ContenderSpec {

  /** Contender id as it appears in the report, e.g. {@code flink-datastream-rocksdb-eo}. */
  public static final String CONTENDER = "contender";

  /** Unique per run: use it for group ids, application ids, transactional-id prefixes. */
  public static final String RUN_ID = "run.id";

  /** A fresh directory owned by this run: state, checkpoints, logs, the metrics file. */
  public static final String WORK_DIR = "work.dir";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Comma-separated input topics, pre-loaded by the harness before the contender starts. */
  public static final String INPUT_TOPICS = "input.topics";

  /** Comma-separated output topics the harness counts (read_committed) to detect completion. */
  public static final String OUTPUT_TOPICS = "output.topics";

  /** Partitions of every input topic; Flink contenders use it as their parallelism. */
  public static final String PARTITIONS = "partitions";

  /** {@code tumbling} or {@code sliding} (IoT suite). */
  public static final String WINDOW = "window";

  public static final String WINDOW_SIZE_MS = "window.size.ms";
  public static final String WINDOW_SLIDE_MS = "window.slide.ms";

  /** Out-of-orderness bound (Flink watermarks) and grace (Kafka Streams), the same for all. */
  public static final String OUT_OF_ORDERNESS_MS = "out.of.orderness.ms";

  /** Flink checkpoint interval; also "our" commit interval given to Kafka Streams. */
  public static final String CHECKPOINT_INTERVAL_MS = "checkpoint.interval.ms";

  /** Kafka Streams {@code commit.interval.ms}; absent means Kafka Streams' own default. */
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";

  /** {@code rocksdb} or {@code hashmap} (Flink contenders). */
  public static final String STATE_BACKEND = "state.backend";

  /** {@code exactly-once} or {@code at-least-once}. */
  public static final String DELIVERY = "delivery";

  /** PostgreSQL (CDC suite): JDBC URL, user, password, slot and publication to stream from. */
  public static final String PG_URL = "pg.url";

  public static final String PG_USER = "pg.user";
  public static final String PG_PASSWORD = "pg.password";
  public static final String PG_SLOT = "pg.slot";
  public static final String PG_PUBLICATION = "pg.publication";

  private final Properties properties;

  private ContenderSpec(Properties properties) {
    this.properties = properties;
  }

  /** Reads a spec file. */
  public static ContenderSpec load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read contender spec " + file + ": " + e, e);
    }
    return new ContenderSpec(properties);
  }

  /** A spec from key/value pairs (the harness builds it, then {@link #write}s it). */
  public static ContenderSpec of(Map<String, String> values) {
    Properties properties = new Properties();
    properties.putAll(values);
    return new ContenderSpec(properties);
  }

  /** Writes the spec (sorted, so it reads well in a run's work directory). */
  public void write(Path file) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file)) {
      for (Map.Entry<String, String> e : asMap().entrySet()) {
        writer.write(escape(e.getKey()) + "=" + escape(e.getValue()) + System.lineSeparator());
      }
    }
  }

  /** Every key and value, sorted by key. */
  public Map<String, String> asMap() {
    Map<String, String> map = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
    return map;
  }

  /** The value of a required key; fails naming the key when it is absent or blank. */
  public String get(String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("contender spec: missing required key '" + key + "'");
    }
    return value.trim();
  }

  /** The value of an optional key, or {@code fallback}. */
  public String get(String key, String fallback) {
    String value = properties.getProperty(key);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** Whether the key is present and not blank. */
  public boolean has(String key) {
    String value = properties.getProperty(key);
    return value != null && !value.isBlank();
  }

  /** A required long; fails naming the key when it is absent or not a number. */
  public long getLong(String key) {
    String value = get(key);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "contender spec: key '" + key + "' must be a number, got '" + value + "'", e);
    }
  }

  /** A required int; fails naming the key when it is absent or not a number. */
  public int getInt(String key) {
    return Math.toIntExact(getLong(key));
  }

  /** A required comma-separated list. */
  public List<String> getList(String key) {
    return Arrays.stream(get(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** The run's work directory. */
  public Path workDir() {
    return Path.of(get(WORK_DIR));
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '=', ':', '#', '!' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
