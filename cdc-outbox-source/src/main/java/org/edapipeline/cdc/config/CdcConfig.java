package org.edapipeline.cdc.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import org.edapipeline.schemas.trace.Tracing;

/**
 * The service's configuration, parsed and validated once at start: Debezium-Server-style keys
 * ({@code debezium.source.*} for the engine and connector, {@code debezium.sink.kafka.producer.*}
 * for the Kafka producer) plus the service's own {@code cdc.*} keys, read from a properties file
 * and overridden by environment variables ({@code debezium.source.slot.name} ← {@code
 * DEBEZIUM_SOURCE_SLOT_NAME}: upper case, every non-alphanumeric character an underscore).
 *
 * <p>Secrets (keys whose last segment contains {@code password}, {@code sasl.jaas.config}, {@code
 * basic.auth.user.info}, {@code ssl.keystore.key}) are refused in the file: they come from the
 * environment or from a file named by {@code <key>.file}. {@link #toString()} and {@link #masker()}
 * keep them out of logs and errors.
 *
 * <p>Every problem is an {@link InvalidConfigException} naming the key.
 */
public final class CdcConfig {

  /** Engine and PostgreSQL connector properties, passed to Debezium without this prefix. */
  public static final String SOURCE_PREFIX = "debezium.source.";

  /** Kafka producer properties, passed to the producer without this prefix. */
  public static final String PRODUCER_PREFIX = "debezium.sink.kafka.producer.";

  /** The service's own keys. */
  public static final String SERVICE_PREFIX = "cdc.";

  /** Suffix of a key naming the file a secret is read from. */
  public static final String FILE_SUFFIX = ".file";

  public static final String DATABASE_HOSTNAME = SOURCE_PREFIX + "database.hostname";
  public static final String DATABASE_PORT = SOURCE_PREFIX + "database.port";
  public static final String DATABASE_DBNAME = SOURCE_PREFIX + "database.dbname";
  public static final String DATABASE_USER = SOURCE_PREFIX + "database.user";
  public static final String DATABASE_PASSWORD = SOURCE_PREFIX + "database.password";
  public static final String OFFSET_STORAGE = SOURCE_PREFIX + "offset.storage";
  public static final String OFFSET_FILE = SOURCE_PREFIX + "offset.storage.file.filename";
  public static final String OFFSET_TOPIC = SOURCE_PREFIX + "offset.storage.topic";
  public static final String BOOTSTRAP_SERVERS = PRODUCER_PREFIX + "bootstrap.servers";
  public static final String REGISTRY_URL = SERVICE_PREFIX + SchemaRegistryClientConfig.URL;
  public static final String REGISTRY_USER_INFO =
      SERVICE_PREFIX + SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO;
  public static final String HTTP_HOST = SERVICE_PREFIX + "http.host";
  public static final String HTTP_PORT = SERVICE_PREFIX + "http.port";
  public static final String RESTART_BACKOFF_INITIAL_MS =
      SERVICE_PREFIX + "restart.backoff.initial.ms";
  public static final String RESTART_BACKOFF_MAX_MS = SERVICE_PREFIX + "restart.backoff.max.ms";
  public static final String SHUTDOWN_TIMEOUT_MS = SERVICE_PREFIX + "shutdown.timeout.ms";
  public static final String DEAD_LETTER_PAYLOAD_MAX_BYTES =
      SERVICE_PREFIX + "dead.letter.payload.max.bytes";
  public static final String SLOT_LAG_INTERVAL_MS = SERVICE_PREFIX + "slot.lag.interval.ms";

  /** OTLP/HTTP base URL of the span exporter; tracing is off without it. */
  public static final String OTLP_ENDPOINT = SERVICE_PREFIX + "otel.exporter.otlp.endpoint";

  /** {@code service.name} of the exported spans. */
  public static final String OTEL_SERVICE_NAME = SERVICE_PREFIX + "otel.service.name";

  /** Default {@link #OTEL_SERVICE_NAME}. */
  public static final String DEFAULT_SERVICE_NAME = "cdc-outbox-source";

  /** Registry client keys accepted under {@link #SERVICE_PREFIX}. */
  private static final Set<String> REGISTRY_KEYS =
      Set.of(
          SchemaRegistryClientConfig.URL,
          SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO,
          SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
          SchemaRegistryClientConfig.CONNECT_TIMEOUT_MS,
          SchemaRegistryClientConfig.REQUEST_TIMEOUT_MS,
          SchemaRegistryClientConfig.MAX_RETRIES,
          SchemaRegistryClientConfig.RETRY_BACKOFF_MS,
          SchemaRegistryClientConfig.RETRY_BACKOFF_MAX_MS);

  /** The service's own keys besides the registry's. */
  private static final Set<String> SERVICE_KEYS =
      Set.of(
          HTTP_HOST,
          HTTP_PORT,
          RESTART_BACKOFF_INITIAL_MS,
          RESTART_BACKOFF_MAX_MS,
          SHUTDOWN_TIMEOUT_MS,
          DEAD_LETTER_PAYLOAD_MAX_BYTES,
          OTLP_ENDPOINT,
          OTEL_SERVICE_NAME,
          SLOT_LAG_INTERVAL_MS);

  /** The password inside a JAAS configuration, which is masked on its own too. */
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");

  /** Keys an environment variable may set even when the file does not mention them. */
  private static final Set<String> KNOWN_KEYS;

  static {
    Set<String> known = new HashSet<>(SERVICE_KEYS);
    REGISTRY_KEYS.forEach(key -> known.add(SERVICE_PREFIX + key));
    known.addAll(
        List.of(
            DATABASE_HOSTNAME,
            DATABASE_PORT,
            DATABASE_DBNAME,
            DATABASE_USER,
            DATABASE_PASSWORD,
            OFFSET_STORAGE,
            OFFSET_FILE,
            OFFSET_TOPIC,
            BOOTSTRAP_SERVERS,
            PRODUCER_PREFIX + "sasl.jaas.config",
            PRODUCER_PREFIX + "ssl.truststore.password",
            PRODUCER_PREFIX + "ssl.keystore.password",
            PRODUCER_PREFIX + "ssl.key.password"));
    KNOWN_KEYS = Set.copyOf(known);
  }

  private final Map<String, String> source;
  private final Map<String, String> producer;
  private final Map<String, String> registry;
  private final String httpHost;
  private final int httpPort;
  private final Duration restartBackoffInitial;
  private final Duration restartBackoffMax;
  private final Duration shutdownTimeout;
  private final int deadLetterPayloadMaxBytes;
  private final String otlpEndpoint;
  private final String otelServiceName;
  private final Duration slotLagInterval;
  private final SecretMasker masker;

  private CdcConfig(Map<String, String> all, SecretMasker masker) {
    this.masker = masker;
    this.producer = EngineDefaults.producer(prefixed(all, PRODUCER_PREFIX));
    this.source = EngineDefaults.source(prefixed(all, SOURCE_PREFIX), producer);
    this.registry = registry(all);
    this.httpHost = all.getOrDefault(HTTP_HOST, "0.0.0.0");
    this.httpPort = intValue(all, HTTP_PORT, 8080, 0, 65535);
    this.restartBackoffInitial =
        Duration.ofMillis(intValue(all, RESTART_BACKOFF_INITIAL_MS, 1000, 1, Integer.MAX_VALUE));
    this.restartBackoffMax =
        Duration.ofMillis(intValue(all, RESTART_BACKOFF_MAX_MS, 60_000, 1, Integer.MAX_VALUE));
    if (restartBackoffMax.compareTo(restartBackoffInitial) < 0) {
      throw new InvalidConfigException(
          RESTART_BACKOFF_MAX_MS, "must not be less than " + RESTART_BACKOFF_INITIAL_MS);
    }
    this.shutdownTimeout =
        Duration.ofMillis(intValue(all, SHUTDOWN_TIMEOUT_MS, 30_000, 1, Integer.MAX_VALUE));
    this.deadLetterPayloadMaxBytes =
        intValue(all, DEAD_LETTER_PAYLOAD_MAX_BYTES, 64 * 1024, 0, 16 * 1024 * 1024);
    this.otlpEndpoint = otlpEndpoint(all);
    this.otelServiceName = all.getOrDefault(OTEL_SERVICE_NAME, DEFAULT_SERVICE_NAME).strip();
    if (otelServiceName.isEmpty()) {
      throw new InvalidConfigException(OTEL_SERVICE_NAME, "must not be blank");
    }
    this.slotLagInterval =
        Duration.ofMillis(intValue(all, SLOT_LAG_INTERVAL_MS, 10_000, 100, 3_600_000));
    EngineDefaults.validateSource(source);
    EngineDefaults.validateProducer(producer);
  }

  /**
   * Reads {@code file} and overlays the environment.
   *
   * @throws InvalidConfigException naming the key of the first problem
   */
  public static CdcConfig load(Path file, Map<String, String> environment) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new InvalidConfigException("--config", "cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> fileValues = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(key -> fileValues.put(key, properties.getProperty(key).trim()));
    return from(fileValues, environment);
  }

  /**
   * Builds the configuration from file values and environment variables.
   *
   * @throws InvalidConfigException naming the key of the first problem
   */
  public static CdcConfig from(Map<String, String> fileValues, Map<String, String> environment) {
    Map<String, String> all = new TreeMap<>();
    for (Map.Entry<String, String> entry : fileValues.entrySet()) {
      String key = entry.getKey();
      if (SecretMasker.isSecretKey(key) && !key.endsWith(FILE_SUFFIX)) {
        throw new InvalidConfigException(
            key,
            "secrets are not read from the configuration file; set the environment variable "
                + environmentName(key)
                + " or name a file with "
                + key
                + FILE_SUFFIX);
      }
      all.put(key, entry.getValue());
    }
    overlayEnvironment(all, environment);
    List<String> secrets = new ArrayList<>();
    readSecretFiles(all);
    all.forEach(
        (key, value) -> {
          if (SecretMasker.isSecretKey(key)) {
            secrets.add(value);
            // A JAAS config or user:password holds the password inside: mask its parts too.
            secrets.addAll(embeddedSecrets(value));
          }
        });
    rejectUnknownServiceKeys(all);
    return new CdcConfig(all, new SecretMasker(secrets));
  }

  /** The environment variable that overrides {@code key}. */
  public static String environmentName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  private static void overlayEnvironment(Map<String, String> all, Map<String, String> environment) {
    Map<String, String> keysByEnvironmentName = new TreeMap<>();
    KNOWN_KEYS.forEach(key -> keysByEnvironmentName.put(environmentName(key), key));
    all.keySet().forEach(key -> keysByEnvironmentName.put(environmentName(key), key));
    for (Map.Entry<String, String> variable : environment.entrySet()) {
      String name = variable.getKey();
      String key = keysByEnvironmentName.get(name);
      if (key == null
          && (name.startsWith("DEBEZIUM_SOURCE_")
              || name.startsWith("DEBEZIUM_SINK_KAFKA_PRODUCER_"))) {
        // Not in the file: Debezium Server's convention, lower case with dots.
        key = name.toLowerCase(Locale.ROOT).replace('_', '.');
      }
      if (key != null) {
        all.put(key, variable.getValue().trim());
      }
    }
  }

  private static void readSecretFiles(Map<String, String> all) {
    for (String fileKey : List.copyOf(all.keySet())) {
      if (!fileKey.endsWith(FILE_SUFFIX)) {
        continue;
      }
      String key = fileKey.substring(0, fileKey.length() - FILE_SUFFIX.length());
      if (!SecretMasker.isSecretKey(key)) {
        continue;
      }
      if (all.containsKey(key)) {
        throw new InvalidConfigException(
            fileKey, "set either " + fileKey + " or " + environmentName(key) + ", not both");
      }
      Path file = Path.of(all.remove(fileKey));
      try {
        all.put(key, Files.readString(file, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new InvalidConfigException(fileKey, "cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  private static List<String> embeddedSecrets(String value) {
    List<String> parts = new ArrayList<>();
    Matcher quoted = JAAS_PASSWORD.matcher(value);
    while (quoted.find()) {
      parts.add(quoted.group(1));
    }
    int colon = value.indexOf(':');
    if (colon > 0 && !value.contains("=")) {
      parts.add(value.substring(colon + 1)); // user:password
    }
    return parts;
  }

  private static void rejectUnknownServiceKeys(Map<String, String> all) {
    for (String key : all.keySet()) {
      if (key.startsWith(SERVICE_PREFIX)
          && !SERVICE_KEYS.contains(key)
          && !REGISTRY_KEYS.contains(key.substring(SERVICE_PREFIX.length()))) {
        throw new InvalidConfigException(
            key, "unknown key; the cdc.* keys are " + knownServiceKeys());
      }
    }
  }

  private static Set<String> knownServiceKeys() {
    Set<String> keys = new TreeSet<>(SERVICE_KEYS);
    REGISTRY_KEYS.forEach(key -> keys.add(SERVICE_PREFIX + key));
    return keys;
  }

  private static Map<String, String> prefixed(Map<String, String> all, String prefix) {
    Map<String, String> result = new TreeMap<>();
    all.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            result.put(key.substring(prefix.length()), value);
          }
        });
    return result;
  }

  private static Map<String, String> registry(Map<String, String> all) {
    Map<String, String> registry = new TreeMap<>();
    REGISTRY_KEYS.forEach(
        key -> {
          String value = all.get(SERVICE_PREFIX + key);
          if (value != null) {
            registry.put(key, value);
          }
        });
    if (!registry.containsKey(SchemaRegistryClientConfig.URL)) {
      throw new InvalidConfigException(
          REGISTRY_URL, "required: the schema registry the dead letters are registered with");
    }
    try {
      SchemaRegistryClientConfig.fromMap(registry);
    } catch (ConfigException e) {
      throw new InvalidConfigException(
          SERVICE_PREFIX + configExceptionKey(e, registry), e.getMessage());
    }
    return Collections.unmodifiableMap(registry);
  }

  private static String configExceptionKey(ConfigException e, Map<String, String> keys) {
    String message = String.valueOf(e.getMessage());
    return keys.keySet().stream()
        .filter(message::contains)
        .findFirst()
        .orElse(SchemaRegistryClientConfig.URL);
  }

  private static String otlpEndpoint(Map<String, String> all) {
    String endpoint = all.get(OTLP_ENDPOINT);
    if (endpoint == null || endpoint.isBlank()) {
      return null;
    }
    try {
      Tracing.tracesUrl(endpoint);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(OTLP_ENDPOINT, e.getMessage());
    }
    return endpoint.strip();
  }

  private static int intValue(Map<String, String> all, String key, int fallback, int min, int max) {
    String text = all.get(key);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new InvalidConfigException(
            key, "must be between " + min + " and " + max + ": " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(key, "not an integer: " + text);
    }
  }

  /** Engine and connector properties (Debezium's keys, without {@link #SOURCE_PREFIX}). */
  public Map<String, String> source() {
    return source;
  }

  /** Kafka producer properties, with the service's defaults and fixed settings applied. */
  public Map<String, String> producer() {
    return producer;
  }

  /** Schema registry client properties ({@link SchemaRegistryClientConfig} keys). */
  public SchemaRegistryClientConfig registry() {
    return SchemaRegistryClientConfig.fromMap(registry);
  }

  public String httpHost() {
    return httpHost;
  }

  /** Port of {@code /health} and {@code /metrics}; 0 picks a free one. */
  public int httpPort() {
    return httpPort;
  }

  /** First delay before restarting a failed engine; doubled per failure up to the maximum. */
  public Duration restartBackoffInitial() {
    return restartBackoffInitial;
  }

  public Duration restartBackoffMax() {
    return restartBackoffMax;
  }

  /** How long a shutdown waits for the batch in flight and the offset commit. */
  public Duration shutdownTimeout() {
    return shutdownTimeout;
  }

  /** How many payload bytes a dead letter keeps. */
  public int deadLetterPayloadMaxBytes() {
    return deadLetterPayloadMaxBytes;
  }

  /**
   * The OTLP/HTTP base URL spans are exported to ({@code http://collector:4318}); empty when
   * tracing is off.
   */
  public Optional<String> otlpEndpoint() {
    return Optional.ofNullable(otlpEndpoint);
  }

  /** {@code service.name} of the exported spans. */
  public String otelServiceName() {
    return otelServiceName;
  }

  /** How often the replication slot's lag is read for {@code /metrics}. */
  public Duration slotLagInterval() {
    return slotLagInterval;
  }

  /** Masks this configuration's secret values in any text. */
  public SecretMasker masker() {
    return masker;
  }

  /** Every effective setting, one per line, secrets masked. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    source.forEach((k, v) -> shown.put(SOURCE_PREFIX + k, masker.maskValue(k, v)));
    producer.forEach((k, v) -> shown.put(PRODUCER_PREFIX + k, masker.maskValue(k, v)));
    registry.forEach((k, v) -> shown.put(SERVICE_PREFIX + k, masker.maskValue(k, v)));
    shown.put(HTTP_HOST, httpHost);
    shown.put(HTTP_PORT, Integer.toString(httpPort));
    shown.put(RESTART_BACKOFF_INITIAL_MS, Long.toString(restartBackoffInitial.toMillis()));
    shown.put(RESTART_BACKOFF_MAX_MS, Long.toString(restartBackoffMax.toMillis()));
    shown.put(SHUTDOWN_TIMEOUT_MS, Long.toString(shutdownTimeout.toMillis()));
    shown.put(DEAD_LETTER_PAYLOAD_MAX_BYTES, Integer.toString(deadLetterPayloadMaxBytes));
    shown.put(OTLP_ENDPOINT, otlpEndpoint == null ? "(tracing off)" : otlpEndpoint);
    shown.put(OTEL_SERVICE_NAME, otelServiceName);
    shown.put(SLOT_LAG_INTERVAL_MS, Long.toString(slotLagInterval.toMillis()));
    return shown.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining(System.lineSeparator()));
  }
}
