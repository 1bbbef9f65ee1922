package org.edapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code flink-conf/config.yaml} against Flink 2.2.1 itself: every key is a current (not
 * deprecated) option of the Flink jars the cluster runs, every value parses into its option's type,
 * Flink's own loader reads the settings the pipeline relies on, and every setting is explained by
 * the comment line above it.
 */
class FlinkConfigYamlTest {
  private static final Path CONF_DIR =
      Path.of(System.getProperty(FlinkSessionCluster.CONF_DIR_PROPERTY));
  private static final Path CONFIG_YAML = CONF_DIR.resolve("config.yaml");

  private static Map<String, ConfigOption<?>> currentOptions;
  private static Set<String> deprecatedKeys;
  private static Set<String> reporterSuffixes;

  @BeforeAll
  static void collectFlinkOptions() throws Exception {
    currentOptions = new HashMap<>();
    deprecatedKeys = new HashSet<>();
    for (Class<?> type : optionClassesOnTheClusterClasspath()) {
      for (Field field : type.getFields()) {
        if (!Modifier.isStatic(field.getModifiers())
            || !ConfigOption.class.isAssignableFrom(field.getType())) {
          continue;
        }
        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
        if (field.isAnnotationPresent(Deprecated.class)) {
          deprecatedKeys.add(option.key());
        } else {
          currentOptions.put(option.key(), option);
        }
        for (FallbackKey fallback : option.fallbackKeys()) {
          if (fallback.isDeprecated()) {
            deprecatedKeys.add(fallback.getKey());
          }
        }
      }
    }
    deprecatedKeys.removeAll(currentOptions.keySet());
    // Per-reporter keys (metrics.reporter.<name>.<suffix>) are MetricOptions' suffix options,
    // plus the Prometheus reporter's own "port" (PrometheusReporterFactory.ARG_PORT).
    reporterSuffixes = new HashSet<>(Set.of("port"));
    for (Field field : MetricOptions.class.getFields()) {
      if (ConfigOption.class.isAssignableFrom(field.getType())) {
        String key = ((ConfigOption<?>) field.get(null)).key();
        if (!key.startsWith("metrics.")) {
          reporterSuffixes.add(key);
        }
      }
    }
  }

  @Test
  void shouldUseOnlyCurrentFlinkOptionKeys() {
    Map<String, String> settings = FlinkConfigYaml.read(CONFIG_YAML);
    List<String> reporters = List.of(settings.getOrDefault("metrics.reporters", "").split(","));
    List<String> unknown = new ArrayList<>();
    for (String key : settings.keySet()) {
      if (!currentOptions.containsKey(key) && !isReporterKey(key, reporters)) {
        unknown.add(key + (deprecatedKeys.contains(key) ? " (deprecated in Flink 2)" : ""));
      }
    }
    assertThat(currentOptions).as("options found in Flink's jars").hasSizeGreaterThan(500);
    assertThat(unknown).as("keys that Flink 2.2.1 does not know").isEmpty();
  }

  @Test
  void shouldParseEveryValueIntoItsOptionType() {
    Configuration configuration = GlobalConfiguration.loadConfiguration(CONF_DIR.toString());
    for (String key : FlinkConfigYaml.read(CONFIG_YAML).keySet()) {
      ConfigOption<?> option = currentOptions.get(key);
      if (option != null) {
        assertThatCode(() -> configuration.get(option)).as(key).doesNotThrowAnyException();
      }
    }
  }

  @Test
  void shouldConfigureTheGuaranteesThePipelineReliesOn() {
    Configuration conf = GlobalConfiguration.loadConfiguration(CONF_DIR.toString());

    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isNotBlank();
    assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isNotBlank();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    Duration interval = conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL);
    assertThat(interval).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(1));
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
        .as("timeout well above the interval, well below Kafka's 15 min transaction limit")
        .isGreaterThan(interval.multipliedBy(2))
        .isLessThan(Duration.ofMinutes(10));
    assertThat(conf.get(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS))
        .isPositive()
        .isLessThan(interval);
    assertThat(conf.get(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER)).isBetween(1, 10);
    assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
        .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);

    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF))
        .isGreaterThan(
            conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF));

    assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).as("no Kryo").isFalse();
    assertThat(conf.get(WebOptions.SUBMIT_ENABLE)).isTrue();
    assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isGreaterThan(1);
    assertThat(conf.get(PipelineOptions.MAX_PARALLELISM)).isGreaterThanOrEqualTo(128);

    String reporter = conf.get(MetricOptions.REPORTERS_LIST);
    assertThat(reporter).isNotBlank();
    assertThat(conf.getString("metrics.reporter." + reporter + ".factory.class", null))
        .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
  }

  @Test
  void shouldLoadTheConfiguredMetricsReporterFactory() throws Exception {
    String factory = FlinkConfigYaml.read(CONFIG_YAML).get("metrics.reporter.prom.factory.class");
    assertThat(Class.forName(factory)).isNotNull();
  }

  @Test
  void shouldExplainEverySettingInTheCommentLineAboveIt() throws IOException {
    List<String> lines = Files.readAllLines(CONFIG_YAML);
    List<String> unexplained = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean setting = !line.isBlank() && !line.startsWith("#") && !line.startsWith(" ");
      if (setting && (i == 0 || !lines.get(i - 1).startsWith("# "))) {
        unexplained.add((i + 1) + ": " + line);
      }
    }
    assertThat(unexplained).as("settings without a comment line just above").isEmpty();
    assertThat(FlinkConfigYaml.read(CONFIG_YAML)).hasSizeGreaterThan(20);
  }

  @Test
  void shouldShipTheLoggingConfigurationsTheClusterAndTheContainersUse() {
    assertThat(CONF_DIR.resolve("log4j.properties")).isRegularFile();
    assertThat(CONF_DIR.resolve("log4j-console.properties")).isRegularFile();
  }

  private static boolean isReporterKey(String key, List<String> reporters) {
    for (String reporter : reporters) {
      String prefix = "metrics.reporter." + reporter.strip() + ".";
      if (key.startsWith(prefix) && reporterSuffixes.contains(key.substring(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  /** Every public {@code org.apache.flink..*Options} class in the jars the cluster runs on. */
  private static List<Class<?>> optionClassesOnTheClusterClasspath() throws IOException {
    Path classpathFile = Path.of(System.getProperty(FlinkSessionCluster.CLASSPATH_FILE_PROPERTY));
    List<Class<?>> classes = new ArrayList<>();
    for (String entry : Files.readString(classpathFile).strip().split(java.io.File.pathSeparator)) {
      if (!entry.contains("flink")) {
        continue;
      }
      try (JarFile jar = new JarFile(entry)) {
        for (String name : jar.stream().map(e -> e.getName()).toList()) {
          if (name.startsWith("org/apache/flink/")
              && name.endsWith("Options.class")
              && !name.contains("$")) {
            try {
              classes.add(Class.forName(name.replace('/', '.').replace(".class", "")));
            } catch (ClassNotFoundException | LinkageError notLoadable) {
              // an options class of an optional feature whose dependencies are absent
            }
          }
        }
      }
    }
    return classes;
  }
}
