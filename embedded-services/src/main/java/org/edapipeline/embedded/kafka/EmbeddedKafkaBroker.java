package org.edapipeline.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.edapipeline.embedded.support.Directories;
import org.edapipeline.embedded.support.FreePorts;
import org.edapipeline.embedded.support.ShutdownHooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka node (KRaft, combined controller and broker) running inside this JVM, with
 * transactions enabled and every internal topic sized for one node.
 *
 * <p>It runs {@link KafkaRaftServer}, the server that {@code kafka-server-start.sh} runs, on ports
 * picked once at the first start and on a data directory that survives {@link #stop()}: a {@link
 * #restart()} after {@link #stop()} brings the same node back on the same {@link
 * #bootstrapServers()} with its topics, records, committed offsets and transaction state, the way a
 * restarted broker process would. {@link #close()} stops it and deletes the data directory if this
 * class created it.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *   kafka.createTopic("orders.events", 3);
 *   Map<String, Object> config = kafka.clientConfig();
 *   ...
 * }
 * }</pre>
 *
 * <p>Like a real broker, a fatal fault inside Kafka (for example a metadata log that cannot be
 * written) halts the JVM. Instances are thread-safe.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /** The node id of the single combined node. */
  public static final int NODE_ID = 1;

  private static final String HOST = "localhost";
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_START_ATTEMPTS = 3;

  private final KafkaConfig config;
  private final Path dataDirectory;
  private final boolean deleteDataDirectoryOnClose;
  private final String bootstrapServers;
  private final int port;
  private final int controllerPort;
  private final Thread shutdownHook;

  private KafkaRaftServer server; // guarded by this
  private boolean closed; // guarded by this

  private EmbeddedKafkaBroker(
      KafkaConfig config,
      Path dataDirectory,
      boolean deleteDataDirectoryOnClose,
      int port,
      int controllerPort) {
    this.config = config;
    this.dataDirectory = dataDirectory;
    this.deleteDataDirectoryOnClose = deleteDataDirectoryOnClose;
    this.port = port;
    this.controllerPort = controllerPort;
    this.bootstrapServers = HOST + ":" + port;
    this.shutdownHook = ShutdownHooks.register("embedded-kafka-" + port + "-shutdown", this::close);
  }

  /** Starts a broker with the defaults: free port, temporary data directory. */
  public static EmbeddedKafkaBroker start() {
    return builder().start();
  }

  /** Returns a builder to choose the port, the data directory or broker configs. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the broker again on the same port and data directory, after {@link #stop()} or, while it
   * runs, after stopping it first (a broker bounce). Blocks until the broker is unfenced and serves
   * requests; clients configured with {@link #bootstrapServers()} reconnect by themselves.
   *
   * @throws EmbeddedServiceException if Kafka fails to start, for example because another process
   *     took the port while the broker was stopped
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized void restart() {
    stop();
    startServer();
  }

  private synchronized void startServer() {
    if (closed) {
      throw new IllegalStateException("Kafka broker " + bootstrapServers + " is closed");
    }
    // Kafka reports a taken port only as "fatal error while waiting for the acceptors".
    for (int p : new int[] {port, controllerPort}) {
      if (!FreePorts.isFree(p)) {
        throw new PortInUseException(
            "Kafka broker cannot start on " + bootstrapServers + ": port " + p + " is in use");
      }
    }
    formatIfNeeded();
    long startNanos = System.nanoTime();
    KafkaRaftServer starting = null;
    try {
      starting = new KafkaRaftServer(config, Time.SYSTEM);
      starting.startup();
    } catch (RuntimeException e) {
      if (starting != null) {
        shutDown(starting);
      }
      throw new EmbeddedServiceException(
          "Kafka broker did not start on " + bootstrapServers + " with data in " + dataDirectory,
          e);
    }
    server = starting;
    LOG.info(
        "Kafka broker started on {} in {} ms (data in {})",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        dataDirectory);
  }

  /**
   * Shuts the broker down cleanly and keeps its data; clients see it as unreachable until {@link
   * #restart()}. A no-op while it is stopped.
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    long startNanos = System.nanoTime();
    shutDown(server);
    server = null;
    LOG.info(
        "Kafka broker on {} stopped in {} ms",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  /** Whether the broker is running (started and not stopped). */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Stops the broker and deletes the data directory if this class created it. Idempotent; the
   * broker cannot be started again.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        stop();
      } finally {
        if (deleteDataDirectoryOnClose) {
          Directories.deleteRecursively(dataDirectory);
        }
      }
    }
    ShutdownHooks.remove(shutdownHook);
  }

  /** The {@code bootstrap.servers} value for clients, {@code localhost:<port>}; never changes. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The port of the client listener; the same across {@link #stop()} and {@link #restart()}. */
  public int port() {
    return port;
  }

  /** The directory holding the metadata log, topic data and {@code meta.properties}. */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /**
   * The broker's {@code transaction.max.timeout.ms}: a transactional producer whose {@code
   * transaction.timeout.ms} is larger fails in {@code initTransactions()}. Flink's {@code
   * KafkaSink} defaults to one hour, above Kafka's default of 15 minutes, so jobs set their timeout
   * from this value (or the broker is built with a larger one).
   */
  public int transactionMaxTimeoutMs() {
    return config.getInt("transaction.max.timeout.ms");
  }

  /**
   * The value the broker uses for a config, parsed and with Kafka's defaults applied (an {@code
   * Integer} for {@code num.partitions}, for example); {@code null} for a key Kafka does not
   * define.
   */
  public Object brokerConfig(String key) {
    return config.values().get(key);
  }

  /**
   * A new, mutable map with what every client needs to reach this broker ({@code
   * bootstrap.servers}); add serializers, group ids and the like to it.
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> clientConfig = new HashMap<>();
    clientConfig.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return clientConfig;
  }

  /** A new {@link Admin} client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(clientConfig());
  }

  /**
   * Creates a topic with replication factor 1 and waits until the broker serves all its partitions.
   * An existing topic is left as it is.
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * Creates a topic with replication factor 1 and the given topic configs (for example {@code
   * cleanup.policy=compact}), and waits until the broker serves all its partitions. An existing
   * topic is left as it is, even if its partitions or configs differ.
   */
  public void createTopic(String name, int partitions, Map<String, String> topicConfigs) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topicConfigs, "topicConfigs");
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(topicConfigs);
    try (Admin admin = admin()) {
      try {
        admin
            .createTopics(List.of(topic))
            .all()
            .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        LOG.debug("Topic {} exists already", name);
      }
      awaitPartitionLeaders(admin, name);
    } catch (ExecutionException e) {
      throw new EmbeddedServiceException(
          "Cannot create topic " + name + " on " + bootstrapServers, e.getCause());
    } catch (TimeoutException e) {
      throw new EmbeddedServiceException(
          "Topic " + name + " on " + bootstrapServers + " not ready in " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedServiceException("Interrupted while creating topic " + name, e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker[" + bootstrapServers + ", data=" + dataDirectory + "]";
  }

  /**
   * The controller commits a new topic before the broker applies it; producers and consumers that
   * start right after {@link #createTopic} should not see it as unknown.
   */
  private static void awaitPartitionLeaders(Admin admin, String topic)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (true) {
      try {
        TopicDescription description =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .get(topic);
        if (description.partitions().stream().allMatch(p -> p.leader() != null)) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("Partitions of " + topic + " have no leader");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private void formatIfNeeded() {
    if (Files.exists(dataDirectory.resolve("meta.properties"))) {
      return;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(dataDirectory.toString())
          .addDirectory(dataDirectory.toString())
          .run();
    } catch (Exception e) {
      throw new EmbeddedServiceException("Cannot format Kafka storage in " + dataDirectory, e);
    }
    LOG.debug("{}", output.toString(StandardCharsets.UTF_8).trim());
  }

  private static void shutDown(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Kafka broker did not shut down cleanly", e);
    }
  }

  private static final class PortInUseException extends EmbeddedServiceException {
    private static final long serialVersionUID = 1L;

    PortInUseException(String message) {
      super(message);
    }
  }

  /**
   * Configures an {@link EmbeddedKafkaBroker}. A builder can start several brokers; each gets its
   * own ports and, unless {@link #dataDirectory(Path)} is set, its own temporary directory.
   */
  public static final class Builder {
    /**
     * Configs that tie the node to its ports and directories; set through the builder's methods
     * instead, so that a restart finds the node where it was.
     */
    private static final Set<String> MANAGED_CONFIGS =
        Set.of(
            "process.roles",
            "node.id",
            "broker.id",
            "listeners",
            "advertised.listeners",
            "listener.security.protocol.map",
            "inter.broker.listener.name",
            "controller.listener.names",
            "controller.quorum.voters",
            "controller.quorum.bootstrap.servers",
            "log.dir",
            "log.dirs",
            "metadata.log.dir");

    private int port;
    private Path dataDirectory;
    private boolean autoCreateTopics;
    private final Map<String, String> brokerConfig = new LinkedHashMap<>();

    private Builder() {}

    /** The client port; 0 (the default) picks a free one at start. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Not a TCP port: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Keeps Kafka's data in this directory, which {@link EmbeddedKafkaBroker#close()} leaves in
     * place; a directory formatted by an earlier run is reused as it is. By default a temporary
     * directory is created and deleted on close.
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /**
     * Whether the broker creates a topic on first use ({@code auto.create.topics.enable}). Off by
     * default, as in production: a misspelled topic name fails instead of silently creating a topic
     * with default settings.
     */
    public Builder autoCreateTopics(boolean autoCreateTopics) {
      this.autoCreateTopics = autoCreateTopics;
      return this;
    }

    /**
     * Sets a broker config, overriding the defaults listed in the README.
     *
     * @throws IllegalArgumentException for configs that tie the node to its ports and directories
     *     (listeners, node id, quorum, log directories)
     */
    public Builder brokerConfig(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (MANAGED_CONFIGS.contains(key)) {
        throw new IllegalArgumentException(
            key + " is managed by EmbeddedKafkaBroker; use port(..) or dataDirectory(..)");
      }
      brokerConfig.put(key, value);
      return this;
    }

    /**
     * Starts a new broker and waits until it serves requests.
     *
     * @throws EmbeddedServiceException if it does not start
     */
    public EmbeddedKafkaBroker start() {
      for (int attempt = 1; ; attempt++) {
        EmbeddedKafkaBroker broker = create();
        try {
          broker.startServer();
          return broker;
        } catch (PortInUseException e) {
          broker.close();
          // A port picked free can be taken by another process before Kafka binds it.
          if (attempt == MAX_START_ATTEMPTS || port != 0) {
            throw e;
          }
          LOG.info("{}; starting Kafka on other ports", e.getMessage());
        } catch (RuntimeException e) {
          broker.close();
          throw e;
        }
      }
    }

    private EmbeddedKafkaBroker create() {
      int brokerPort = port != 0 ? port : FreePorts.pick();
      int controllerPort = FreePorts.pick();
      while (controllerPort == brokerPort) {
        controllerPort = FreePorts.pick();
      }
      boolean temporary = dataDirectory == null;
      Path directory = temporary ? Directories.createTemp("embedded-kafka-") : dataDirectory;
      KafkaConfig config;
      try {
        config = new KafkaConfig(configFor(brokerPort, controllerPort, directory), false);
      } catch (RuntimeException e) {
        if (temporary) {
          Directories.deleteRecursively(directory);
        }
        throw new IllegalArgumentException("Invalid Kafka broker config: " + e.getMessage(), e);
      }
      return new EmbeddedKafkaBroker(
          config, directory.toAbsolutePath(), temporary, brokerPort, controllerPort);
    }

    private Map<String, String> configFor(int brokerPort, int controllerPort, Path directory) {
      Map<String, String> props = new LinkedHashMap<>();
      // One node: every internal topic must fit on it.
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "5");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "5");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("default.replication.factor", "1");
      props.put("min.insync.replicas", "1");
      // Tests and the demo should not wait 3 s for the first consumer group rebalance.
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("auto.create.topics.enable", Boolean.toString(autoCreateTopics));
      // The log cleaner allocates this buffer up front; 128 MiB by default.
      props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
      // A start that cannot complete fails instead of waiting forever.
      props.put("server.max.startup.time.ms", "60000");
      props.putAll(brokerConfig);

      String dir = directory.toAbsolutePath().toString();
      props.put("process.roles", "broker,controller");
      props.put("node.id", Integer.toString(NODE_ID));
      props.put(
          "listeners",
          BROKER_LISTENER
              + "://"
              + HOST
              + ":"
              + brokerPort
              + ","
              + CONTROLLER_LISTENER
              + "://"
              + HOST
              + ":"
              + controllerPort);
      props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
      props.put(
          "listener.security.protocol.map",
          BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
      props.put("inter.broker.listener.name", BROKER_LISTENER);
      props.put("controller.listener.names", CONTROLLER_LISTENER);
      props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
      props.put("log.dirs", dir);
      props.put("metadata.log.dir", dir);
      return props;
    }
  }
}
