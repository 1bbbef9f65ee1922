package org.edapipeline.embedded.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A schema registry speaking the subset of Confluent Schema Registry's REST API that clients use
 * (register, lookup, fetch by id, versions, delete, compatibility, config), on the JDK's HTTP
 * server, bound to the loopback interface.
 *
 * <p>Durable like Confluent's: every change is written to a compacted Kafka topic ({@code _schemas}
 * by default) before it is acknowledged, and a registry started on the same topic rebuilds its
 * state from it, so schema ids survive restarts. Schema ids are global; the same schema gets the
 * same id in every subject. Compatibility is enforced per subject with Avro's {@link
 * org.apache.avro.SchemaCompatibility}, default {@link CompatibilityLevel#BACKWARD}.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafka.bootstrapServers())) {
 *   String url = registry.url(); // http://127.0.0.1:<free port>
 * }
 * }</pre>
 *
 * <p>One instance writes a storage topic at a time. Not for production: no TLS, no leader election.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final SchemaLog log;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String url;
  private final String storageTopic;
  private boolean stopped;

  private EmbeddedSchemaRegistry(Builder builder) throws IOException {
    this.storageTopic = builder.storageTopic;
    this.log =
        builder.kafkaClientConfig == null
            ? SchemaLog.inMemory()
            : new KafkaSchemaLog(builder.storageTopic, builder.kafkaClientConfig, builder.timeout);
    try {
      SchemaStore store = new SchemaStore(log);
      store.recover();
      this.executor = Executors.newFixedThreadPool(4, threadFactory(INSTANCES.incrementAndGet()));
      try {
        this.server =
            HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), builder.port), 0);
      } catch (IOException e) {
        executor.shutdownNow();
        throw e;
      }
      server.createContext("/", new RegistryHttpHandler(store, builder.username, builder.password));
      server.setExecutor(executor);
      server.start();
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    this.url = "http://127.0.0.1:" + server.getAddress().getPort();
    LOG.info("Schema registry listening on {}, storage: {}", url, log);
  }

  /** Starts a registry on a free port, storing schemas in the {@code _schemas} topic. */
  public static EmbeddedSchemaRegistry start(String kafkaBootstrapServers) {
    return builder().kafkaBootstrapServers(kafkaBootstrapServers).start();
  }

  /**
   * A builder: port 0 (a free one), no auth, topic {@code _schemas}, and in-memory storage until
   * {@link Builder#kafkaBootstrapServers} or {@link Builder#kafkaClientConfig} is set.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** The base URL, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
  public String url() {
    return url;
  }

  /** The port the registry listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The Kafka topic the registry stores its changes in. */
  public String storageTopic() {
    return storageTopic;
  }

  /** Stops serving and releases the port, threads and Kafka clients. Idempotent. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    server.stop(0);
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("Schema registry threads did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.close();
    LOG.info("Schema registry on {} stopped", url);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "EmbeddedSchemaRegistry[" + url + ", storage: " + log + "]";
  }

  private static ThreadFactory threadFactory(int instance) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread =
          new Thread(runnable, "schema-registry-" + instance + "-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Configures and starts an {@link EmbeddedSchemaRegistry}. */
  public static final class Builder {
    private int port;
    private String username;
    private String password;
    private String storageTopic = "_schemas";
    private Map<String, Object> kafkaClientConfig;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
      }
      this.port = port;
      return this;
    }

    /** Requires HTTP basic auth with these credentials on every request. */
    public Builder basicAuth(String username, String password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      if (username.contains(":")) {
        throw new IllegalArgumentException("A basic-auth username cannot contain ':'");
      }
      return this;
    }

    /** The compacted topic changes are stored in; default {@code _schemas}. */
    public Builder storageTopic(String topic) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("storageTopic must not be blank");
      }
      this.storageTopic = topic;
      return this;
    }

    /** Stores changes in the Kafka cluster at these bootstrap servers. */
    public Builder kafkaBootstrapServers(String bootstrapServers) {
      return kafkaClientConfig(
          Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Stores changes in Kafka using these client properties (bootstrap servers, and security
     * settings if the cluster needs them).
     */
    public Builder kafkaClientConfig(Map<String, ?> config) {
      if (!config.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
        throw new IllegalArgumentException("kafkaClientConfig needs bootstrap.servers");
      }
      this.kafkaClientConfig = new HashMap<>(config);
      return this;
    }

    /**
     * Keeps schemas in memory only: nothing survives {@link #stop()}. For unit tests that need no
     * broker.
     */
    public Builder inMemory() {
      this.kafkaClientConfig = null;
      return this;
    }

    /** Bound on each Kafka operation (topic creation, replay, each write); default 30 s. */
    public Builder kafkaTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("kafkaTimeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Creates the storage topic if needed, replays it, and starts serving.
     *
     * @throws EmbeddedServiceException if the port cannot be bound, Kafka cannot be reached or the
     *     storage topic is not compacted
     */
    public EmbeddedSchemaRegistry start() {
      try {
        return new EmbeddedSchemaRegistry(this);
      } catch (IOException e) {
        throw new EmbeddedServiceException(
            "Could not start the schema registry on port " + port + ": " + e.getMessage(), e);
      }
    }
  }
}
