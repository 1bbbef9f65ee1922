package org.edapipeline.jobs.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Parses {@code --key value} program arguments against a fixed set of {@link ConfigOption}s, once,
 * at start. Anything it cannot make sense of fails fast with a {@link JobConfigurationException}
 * naming the key: an unknown key, a key without a value, a value of the wrong type, a required
 * option left out. Keys under {@link CommonOptions#KAFKA_PROPERTIES_PREFIX} and {@link
 * CommonOptions#REGISTRY_PROPERTIES_PREFIX} are accepted as pass-through.
 */
public final class JobArguments {

  private static final List<String> PASS_THROUGH_PREFIXES =
      List.of(CommonOptions.KAFKA_PROPERTIES_PREFIX, CommonOptions.REGISTRY_PROPERTIES_PREFIX);

  private JobArguments() {}

  /**
   * Parses {@code args} into a Flink {@link Configuration} holding only known keys.
   *
   * @param options the options the job accepts, e.g. {@link CommonOptions#all()} plus its own
   * @param required options that have no default and must be given
   * @throws JobConfigurationException naming the offending key
   */
  public static Configuration parse(
      String[] args, Collection<ConfigOption<?>> options, Collection<ConfigOption<?>> required) {
    Map<String, ConfigOption<?>> known =
        options.stream().collect(Collectors.toMap(ConfigOption::key, o -> o, (a, b) -> a));
    Map<String, String> raw = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new JobConfigurationException(
            "Expected --key value, got '" + arg + "' at position " + i);
      }
      String key = arg.substring(2);
      if (!known.containsKey(key) && PASS_THROUGH_PREFIXES.stream().noneMatch(key::startsWith)) {
        throw new JobConfigurationException(
            "Unknown option --" + key + "; known options: " + new ArrayList<>(known.keySet()));
      }
      if (i + 1 >= args.length) {
        throw new JobConfigurationException("Option --" + key + " has no value");
      }
      if (raw.put(key, args[++i]) != null) {
        throw new JobConfigurationException("Option --" + key + " is given twice");
      }
    }
    Configuration config = Configuration.fromMap(raw);
    for (ConfigOption<?> option : options) {
      try {
        config.get(option); // parse now: a bad value fails here, not in a task
      } catch (RuntimeException e) {
        throw new JobConfigurationException(
            "Invalid value '" + raw.get(option.key()) + "' for --" + option.key() + ": " + e, e);
      }
    }
    for (ConfigOption<?> option : required) {
      if (!config.contains(option)) {
        throw new JobConfigurationException(
            "Missing required option --" + option.key() + " (" + option.description() + ")");
      }
    }
    return config;
  }

  /** The pass-through entries under {@code prefix}, with the prefix removed. */
  public static Map<String, String> withPrefix(Configuration config, String prefix) {
    Map<String, String> result = new HashMap<>();
    for (Map.Entry<String, String> entry : config.toMap().entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        result.put(entry.getKey().substring(prefix.length()), entry.getValue());
      }
    }
    return result;
  }
}
