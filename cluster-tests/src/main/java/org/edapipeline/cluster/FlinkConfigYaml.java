package org.edapipeline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes a Flink 2 {@code config.yaml} as flat {@code key: value} pairs.
 *
 * <p>Flink accepts both nested ({@code execution: {checkpointing: {interval: 10s}}}) and flattened
 * ({@code execution.checkpointing.interval: 10s}) keys; {@link #read} turns both into the flattened
 * form, so a test can overlay a key whatever form the file uses, and {@link #write} writes the
 * flattened form, which Flink reads back. Lists are kept in Flink's YAML list syntax; scalar values
 * are written as YAML strings, which Flink parses into each option's type.
 */
public final class FlinkConfigYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private FlinkConfigYaml() {}

  /**
   * The settings of a {@code config.yaml}, in file order, keys flattened with dots.
   *
   * @throws IllegalArgumentException if the file is not a YAML mapping
   * @throws UncheckedIOException if it cannot be read
   */
  public static Map<String, String> read(Path file) {
    JsonNode root;
    try {
      root = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Flink configuration " + file, e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return settings;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(file + " is not a YAML mapping of Flink settings");
    }
    flatten("", root, settings);
    return settings;
  }

  /** Writes the settings as a flattened Flink {@code config.yaml}, replacing {@code file}. */
  public static void write(Map<String, String> settings, Path file) {
    StringBuilder yaml = new StringBuilder("# Written by FlinkSessionCluster\n");
    settings.forEach(
        (key, value) -> yaml.append(key).append(": ").append(yamlScalar(value)).append('\n'));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write Flink configuration " + file, e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key, value, out);
      } else if (value.isArray()) {
        out.put(key, value.toString()); // a JSON array is a YAML flow sequence
      } else {
        out.put(key, value.isNull() ? "" : value.asText());
      }
    }
  }

  private static String yamlScalar(String value) {
    if (value.startsWith("[")) {
      return value; // a flow sequence, written back as read
    }
    try {
      return YAML.writeValueAsString(value).replaceFirst("^---\\s*", "").strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
