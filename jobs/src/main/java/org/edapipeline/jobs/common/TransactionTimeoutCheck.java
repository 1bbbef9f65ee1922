package org.edapipeline.jobs.common;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Checks at start that the exactly-once sinks' transaction timeout can work: it must outlast a
 * checkpoint interval plus a checkpoint's duration (a transaction stays open from one checkpoint
 * until the next one completes; if it times out first, the broker aborts it and the job fails on
 * commit), and it must not exceed the broker's {@code transaction.max.timeout.ms} (the producer's
 * {@code initTransactions()} would be refused).
 */
public final class TransactionTimeoutCheck {

  /** The broker config that caps a producer's transaction timeout. */
  public static final String BROKER_MAX_KEY = "transaction.max.timeout.ms";

  /** The producer config the sinks set from {@link CommonOptions#KAFKA_TRANSACTION_TIMEOUT}. */
  public static final String PRODUCER_KEY = "transaction.timeout.ms";

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private TransactionTimeoutCheck() {}

  /**
   * Reads the broker's maximum through an {@link Admin} client and checks the timeout against it
   * and against the checkpoint settings.
   *
   * @throws JobConfigurationException when they cannot work together, or the broker cannot be asked
   *     (a refused password within seconds: this is the job's first Kafka call)
   */
  public static void validate(JobConfig config) {
    check(
        config.transactionTimeout(),
        config.checkpointInterval(),
        config.checkpointTimeout(),
        brokerMaxTimeout(config));
  }

  /**
   * The rule itself.
   *
   * @throws JobConfigurationException naming the keys involved
   */
  public static void check(
      Duration transactionTimeout,
      Duration checkpointInterval,
      Duration checkpointTimeout,
      Duration brokerMax) {
    String tx =
        "--"
            + CommonOptions.KAFKA_TRANSACTION_TIMEOUT.key()
            + " (producer "
            + PRODUCER_KEY
            + ") = "
            + transactionTimeout.toMillis()
            + " ms";
    if (transactionTimeout.compareTo(brokerMax) > 0) {
      throw new JobConfigurationException(
          tx
              + " exceeds the broker's "
              + BROKER_MAX_KEY
              + " = "
              + brokerMax.toMillis()
              + " ms: lower the first or raise the second");
    }
    Duration needed = checkpointInterval.plus(checkpointTimeout);
    if (transactionTimeout.compareTo(needed) <= 0) {
      throw new JobConfigurationException(
          tx
              + " must exceed --"
              + CommonOptions.CHECKPOINT_INTERVAL.key()
              + " + --"
              + CommonOptions.CHECKPOINT_TIMEOUT.key()
              + " = "
              + needed.toMillis()
              + " ms, or transactions time out before their checkpoint commits them");
    }
  }

  private static Duration brokerMaxTimeout(JobConfig config) {
    try (Admin admin = Admin.create(config.kafkaClientProperties())) {
      Collection<Node> nodes =
          admin.describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (nodes.isEmpty()) {
        throw new JobConfigurationException(
            "Kafka cluster at " + config.bootstrapServers() + " has no brokers");
      }
      ConfigResource broker =
          new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
      Config brokerConfig =
          admin
              .describeConfigs(List.of(broker))
              .all()
              .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(broker);
      ConfigEntry entry = brokerConfig.get(BROKER_MAX_KEY);
      return Duration.ofMillis(Long.parseLong(entry.value()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobConfigurationException("Interrupted while reading " + BROKER_MAX_KEY, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      if (e instanceof JobConfigurationException j) {
        throw j;
      }
      if (e.getCause() instanceof AuthenticationException refused) {
        // Kafka's message names the mechanism, never the password.
        throw new JobConfigurationException(
            "Kafka at "
                + config.bootstrapServers()
                + " refused authentication (--"
                + CommonOptions.KAFKA_PROPERTIES_PREFIX
                + "sasl.jaas.config / --"
                + CommonOptions.KAFKA_PROPERTIES_PREFIX
                + "ssl.*): "
                + refused.getClass().getSimpleName()
                + ": "
                + refused.getMessage(),
            refused);
      }
      throw new JobConfigurationException(
          "Could not read the broker's "
              + BROKER_MAX_KEY
              + " from --"
              + CommonOptions.KAFKA_BOOTSTRAP_SERVERS.key()
              + " "
              + config.bootstrapServers()
              + ": "
              + e,
          e);
    }
  }
}
