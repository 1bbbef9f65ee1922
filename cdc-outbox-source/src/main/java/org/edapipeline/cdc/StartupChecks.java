package org.edapipeline.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.cdc.config.InvalidConfigException;
import org.edapipeline.cdc.config.SecretMasker;
import org.edapipeline.cdc.metrics.KafkaHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the credentials once at start, so that a wrong password fails the start within seconds
 * with a message naming the key, instead of an engine restarting with backoff forever: Kafka's
 * answer to an admin request with the producer's connection settings, and a PostgreSQL login as the
 * configured role (which must have {@code REPLICATION}). A service that is merely unreachable is
 * not an error here: the engine waits for it and restarts, as it does for later outages.
 */
final class StartupChecks {
  private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  /** SQLSTATE class 28: invalid authorization specification (wrong password, unknown role). */
  private static final String AUTHORIZATION_SQLSTATE_CLASS = "28";

  private StartupChecks() {}

  /**
   * @throws InvalidConfigException naming the key whose credentials Kafka or PostgreSQL refused
   */
  static void run(CdcConfig config) {
    kafka(config.producer(), config.masker());
    postgres(config.source(), config.masker());
  }

  static void kafka(Map<String, String> producer, SecretMasker masker) {
    Map<String, Object> settings = KafkaHealth.connectionSettings(producer);
    settings.put(
        AdminClientConfig.CLIENT_ID_CONFIG,
        producer.get(ProducerConfig.CLIENT_ID_CONFIG) + "-startup-check");
    settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    String bootstrap = producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    try (Admin admin = Admin.create(settings)) {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs((int) KAFKA_TIMEOUT.toMillis()))
          .nodes()
          .get(KAFKA_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthenticationException refused) {
        throw refusedByKafka(producer, bootstrap, refused, masker);
      }
      LOG.warn(
          "Kafka at {} did not answer at start ({}); the engine retries until it does",
          bootstrap,
          masker.describe(e.getCause()));
    } catch (TimeoutException e) {
      LOG.warn("Kafka at {} did not answer at start; the engine retries until it does", bootstrap);
    } catch (KafkaException e) {
      // Admin.create fails like this on an unreadable truststore or a malformed JAAS config.
      throw new InvalidConfigException(
          CdcConfig.PRODUCER_PREFIX + "ssl.*/sasl.*",
          "the Kafka client cannot be created: " + masker.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while checking Kafka at start", e);
    }
  }

  private static InvalidConfigException refusedByKafka(
      Map<String, String> producer,
      String bootstrap,
      AuthenticationException refused,
      SecretMasker masker) {
    String key =
        refused instanceof SslAuthenticationException
            ? SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG
            : producer.containsKey(SaslConfigs.SASL_JAAS_CONFIG)
                ? SaslConfigs.SASL_JAAS_CONFIG
                : SaslConfigs.SASL_MECHANISM;
    return new InvalidConfigException(
        CdcConfig.PRODUCER_PREFIX + key,
        "Kafka at "
            + bootstrap
            + " refused authentication: "
            + masker.mask(refused.getClass().getSimpleName() + ": " + refused.getMessage()));
  }

  static void postgres(Map<String, String> source, SecretMasker masker) {
    String url =
        "jdbc:postgresql://"
            + source.get("database.hostname")
            + ":"
            + source.get("database.port")
            + "/"
            + source.get("database.dbname");
    String user = source.get("database.user");
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (source.containsKey("database.password")) {
      properties.setProperty("password", source.get("database.password"));
    }
    if (source.containsKey("database.sslmode")) {
      properties.setProperty("sslmode", source.get("database.sslmode"));
    }
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("socketTimeout", "10");
    properties.setProperty("ApplicationName", "edapipeline-cdc-startup-check");
    try (Connection connection = DriverManager.getConnection(url, properties);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user");
        ResultSet role = query.executeQuery()) {
      if (role.next() && !role.getBoolean(1)) {
        throw new InvalidConfigException(
            CdcConfig.DATABASE_USER,
            "role "
                + user
                + " lacks the REPLICATION attribute that logical decoding needs (see"
                + " db/cdc/cdc_role.sql)");
      }
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (state != null && state.startsWith(AUTHORIZATION_SQLSTATE_CLASS)) {
        throw new InvalidConfigException(
            CdcConfig.DATABASE_PASSWORD,
            "PostgreSQL at "
                + url
                + " refused the login of "
                + CdcConfig.DATABASE_USER
                + "="
                + user
                + ": "
                + masker.mask(e.getMessage()));
      }
      LOG.warn(
          "PostgreSQL at {} did not answer at start ({}); the engine retries until it does",
          url,
          masker.describe(e));
    }
  }
}
