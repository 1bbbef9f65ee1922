package org.edapipeline.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.edapipeline.embedded.EmbeddedServiceException;
import org.edapipeline.embedded.support.Directories;
import org.edapipeline.embedded.support.FreePorts;
import org.edapipeline.embedded.support.SelfSignedTls;
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
  private static final String SECURE_LISTENER = "SECURE";
  private static final int SCRAM_ITERATIONS = 4096;
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final int MAX_START_ATTEMPTS = 3;

  private final KafkaConfig config;
  private final Path dataDirectory;
  private final boolean deleteDataDirectoryOnClose;
  private final String bootstrapServers;
  private final int port;
  private final int controllerPort;
  private final Thread shutdownHook;
  private final SaslSslListener saslSsl; // null without SCRAM users
  private final Map<String, String> scramPasswords;
  private final Path tlsDirectory; // null without SCRAM users

  private KafkaRaftServer server; // guarded by this
  private boolean closed; // guarded by this

  private EmbeddedKafkaBroker(
      KafkaConfig config,
      Path dataDirectory,
      boolean deleteDataDirectoryOnClose,
      int port,
      int controllerPort,
      SaslSslListener saslSsl,
      Map<String, String> scramPasswords,
      Path tlsDirectory) {
    this.config = config;
    this.saslSsl = saslSsl;
    this.scramPasswords = Map.copyOf(scramPasswords);
    this.tlsDirectory = tlsDirectory;
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
    for (int p : ports()) {
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
    if (saslSsl != null) {
      createScramUsers();
    }
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
        if (tlsDirectory != null) {
          Directories.deleteRecursively(tlsDirectory);
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

  /**
   * The SASL_SSL listener (SCRAM-SHA-512 over TLS) that {@link Builder#scramUser} added, with the
   * client configuration for its users. The PLAINTEXT listener of {@link #bootstrapServers()} stays
   * open beside it (for a test's own setup, like {@link #admin()} and {@link #createTopic}).
   *
   * @throws IllegalStateException if the broker was built without SCRAM users
   */
  public SaslSslListener saslSsl() {
    if (saslSsl == null) {
      throw new IllegalStateException(
          "Kafka broker " + bootstrapServers + " has no SASL_SSL listener: add Builder.scramUser");
    }
    return saslSsl;
  }

  /** Whether the broker has a SASL_SSL listener ({@link Builder#scramUser}). */
  public boolean hasSaslSsl() {
    return saslSsl != null;
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

  private int[] ports() {
    return saslSsl == null
        ? new int[] {port, controllerPort}
        : new int[] {port, controllerPort, saslSsl.port()};
  }

  /**
   * Creates (or, after a restart, updates) the SCRAM users through the PLAINTEXT listener, then
   * waits until the broker accepts the first one over SASL_SSL: the controller commits a credential
   * before the broker applies it, and a client connecting in between would fail authentication.
   */
  private void createScramUsers() {
    List<UserScramCredentialUpsertion> upserts =
        scramPasswords.entrySet().stream()
            .map(
                user ->
                    new UserScramCredentialUpsertion(
                        user.getKey(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                        user.getValue()))
            .toList();
    Map.Entry<String, String> probeUser = scramPasswords.entrySet().iterator().next();
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(List.copyOf(upserts))
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<String, Object> probe = saslSsl.clientConfig(probeUser.getKey(), probeUser.getValue());
      probe.put("request.timeout.ms", "5000");
      probe.put("default.api.timeout.ms", "5000");
      while (true) {
        try (Admin secure = Admin.create(probe)) {
          secure.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          LOG.debug("SCRAM user {} not accepted yet: {}", probeUser.getKey(), e.getCause());
          TimeUnit.MILLISECONDS.sleep(50);
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new EmbeddedServiceException(
          "Kafka broker " + bootstrapServers + ": SASL_SSL listener not usable", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedServiceException("Interrupted while creating SCRAM users", e);
    }
  }

  /**
   * The controller commits a new topic before the broker applies it; producers and consumers that
   * start right after {@link #createTopic} should not see it as unknown.
   */
  /**
   * Deletes these topics where they exist and creates them again, empty, with their partitions and
   * configs; returns when the old ones are gone and the new ones have partition leaders. For test
   * classes that share one broker and want a clean slate per test.
   *
   * <p>Creating right after a delete is refused while the broker still lists the old topic (and
   * {@link #createTopic} would take that for "exists already"), hence the wait in between.
   */
  public void recreateTopics(Collection<NewTopic> topics) {
    Objects.requireNonNull(topics, "topics");
    Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toSet());
    try (Admin admin = admin()) {
      Set<String> existing = new HashSet<>(listTopics(admin));
      existing.retainAll(names);
      if (!existing.isEmpty()) {
        admin.deleteTopics(existing).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
      while (listTopics(admin).stream().anyMatch(names::contains)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("Topics " + existing + " still listed after their deletion");
        }
        TimeUnit.MILLISECONDS.sleep(20);
      }
    } catch (ExecutionException e) {
      throw new EmbeddedServiceException(
          "Cannot delete topics " + names + " on " + bootstrapServers, e.getCause());
    } catch (TimeoutException e) {
      throw new EmbeddedServiceException("Topics " + names + " not deleted in " + ADMIN_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedServiceException("Interrupted while deleting topics " + names, e);
    }
    for (NewTopic topic : topics) {
      Map<String, String> configs = topic.configs() == null ? Map.of() : topic.configs();
      createTopic(topic.name(), topic.numPartitions(), configs);
    }
  }

  private static Set<String> listTopics(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

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
    private final Map<String, String> scramUsers = new LinkedHashMap<>();

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
     * Adds a SCRAM-SHA-512 user and, with the first one, a SASL_SSL listener on its own free port
     * (see {@link EmbeddedKafkaBroker#saslSsl()}): TLS with a CA and a {@code localhost}
     * certificate generated when the broker is built (PKCS12 key and trust stores in a temporary
     * directory, deleted on close), SCRAM-SHA-512 as the only mechanism. The users are created at
     * every start through the PLAINTEXT listener, which stays for the broker's own traffic and the
     * test's setup.
     *
     * @param password must not contain {@code "} or {@code \} (it goes into a JAAS configuration)
     */
    public Builder scramUser(String user, String password) {
      scramUsers.put(checkJaasValue("user", user), checkJaasValue("password", password));
      return this;
    }

    static String checkJaasValue(String what, String value) {
      Objects.requireNonNull(value, what);
      if (value.isEmpty() || value.contains("\"") || value.contains("\\")) {
        throw new IllegalArgumentException(
            "A SCRAM " + what + " must be non-empty, without '\"' or '\\'");
      }
      return value;
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
      SaslSslListener saslSsl = null;
      Path tlsDirectory = null;
      KafkaConfig config;
      try {
        if (!scramUsers.isEmpty()) {
          int securePort = FreePorts.pick();
          while (securePort == brokerPort || securePort == controllerPort) {
            securePort = FreePorts.pick();
          }
          // Not under the data directory: Kafka takes every directory there for a partition.
          tlsDirectory = Directories.createTemp("embedded-kafka-tls-");
          saslSsl =
              new SaslSslListener(
                  HOST + ":" + securePort,
                  securePort,
                  SelfSignedTls.writeTo(tlsDirectory),
                  scramUsers.keySet());
        }
        config = new KafkaConfig(configFor(brokerPort, controllerPort, directory, saslSsl), false);
      } catch (RuntimeException e) {
        if (temporary) {
          Directories.deleteRecursively(directory);
        }
        if (tlsDirectory != null) {
          Directories.deleteRecursively(tlsDirectory);
        }
        throw new IllegalArgumentException("Invalid Kafka broker config: " + e.getMessage(), e);
      }
      return new EmbeddedKafkaBroker(
          config,
          directory.toAbsolutePath(),
          temporary,
          brokerPort,
          controllerPort,
          saslSsl,
          scramUsers,
          tlsDirectory);
    }

    private Map<String, String> configFor(
        int brokerPort, int controllerPort, Path directory, SaslSslListener saslSsl) {
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
      if (saslSsl != null) {
        addSaslSslListener(props, saslSsl);
      }
      props.put("inter.broker.listener.name", BROKER_LISTENER);
      props.put("controller.listener.names", CONTROLLER_LISTENER);
      props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
      props.put("log.dirs", dir);
      props.put("metadata.log.dir", dir);
      return props;
    }

    /**
     * The SASL_SSL listener beside the PLAINTEXT one: the broker's own and the controller's traffic
     * stay PLAINTEXT, so no inter-broker SCRAM user must exist before the first start.
     */
    private static void addSaslSslListener(Map<String, String> props, SaslSslListener saslSsl) {
      String secure = SECURE_LISTENER + "://" + saslSsl.bootstrapServers();
      props.put("listeners", props.get("listeners") + "," + secure);
      props.put("advertised.listeners", props.get("advertised.listeners") + "," + secure);
      props.put(
          "listener.security.protocol.map",
          props.get("listener.security.protocol.map")
              + ","
              + SECURE_LISTENER
              + ":"
              + SaslSslListener.SECURITY_PROTOCOL);
      String prefix = "listener.name." + SECURE_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
      props.put(prefix + "sasl.enabled.mechanisms", SaslSslListener.MECHANISM);
      // The server side of SCRAM needs a login module entry; the users live in the metadata log.
      props.put(
          prefix
              + SaslSslListener.MECHANISM.toLowerCase(java.util.Locale.ROOT)
              + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      props.put(prefix + "ssl.keystore.type", SelfSignedTls.STORE_TYPE);
      props.put(prefix + "ssl.keystore.location", saslSsl.keystore().toString());
      props.put(prefix + "ssl.keystore.password", saslSsl.truststorePassword());
      props.put(prefix + "ssl.key.password", saslSsl.truststorePassword());
      props.put(prefix + "ssl.truststore.type", SelfSignedTls.STORE_TYPE);
      props.put(prefix + "ssl.truststore.location", saslSsl.truststore().toString());
      props.put(prefix + "ssl.truststore.password", saslSsl.truststorePassword());
    }
  }
}
