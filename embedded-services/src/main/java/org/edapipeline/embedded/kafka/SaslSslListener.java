package org.edapipeline.embedded.kafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.edapipeline.embedded.support.SelfSignedTls;

/**
 * The optional SASL_SSL listener of an {@link EmbeddedKafkaBroker}: SCRAM-SHA-512 over TLS, with a
 * certificate for {@code localhost} signed by a CA made when the broker was built (see {@link
 * EmbeddedKafkaBroker.Builder#scramUser}). It gives what a client needs to connect as one of its
 * users, as the configuration keys every Kafka client (producer, consumer, admin, Flink's Kafka
 * connector, Debezium) reads.
 */
public final class SaslSslListener {

  /** The only SASL mechanism the listener enables. */
  public static final String MECHANISM = "SCRAM-SHA-512";

  /** The security protocol clients set. */
  public static final String SECURITY_PROTOCOL = "SASL_SSL";

  private static final String SCRAM_LOGIN_MODULE =
      "org.apache.kafka.common.security.scram.ScramLoginModule";

  private final String bootstrapServers;
  private final int port;
  private final SelfSignedTls tls;
  private final Set<String> users;

  SaslSslListener(String bootstrapServers, int port, SelfSignedTls tls, Set<String> users) {
    this.bootstrapServers = bootstrapServers;
    this.port = port;
    this.tls = tls;
    this.users = Set.copyOf(users);
  }

  /** {@code localhost:<port>} of this listener; never changes across restarts. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  public int port() {
    return port;
  }

  Path keystore() {
    return tls.keystore();
  }

  /** The PKCS12 truststore holding the CA that signed the broker's certificate. */
  public Path truststore() {
    return tls.truststore();
  }

  public String truststorePassword() {
    return tls.password();
  }

  /** {@value SelfSignedTls#STORE_TYPE}. */
  public String truststoreType() {
    return SelfSignedTls.STORE_TYPE;
  }

  /** The SCRAM users created at start. */
  public Set<String> users() {
    return users;
  }

  /**
   * A new, mutable client configuration for this listener as {@code user}: {@code
   * bootstrap.servers}, {@code security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512},
   * {@code sasl.jaas.config}, {@code ssl.truststore.location}, {@code ssl.truststore.password} and
   * {@code ssl.truststore.type}. Hostname verification stays on (the certificate names {@code
   * localhost} and {@code 127.0.0.1}). The password is not checked here: a wrong one is what a test
   * of failed authentication needs.
   */
  public Map<String, Object> clientConfig(String user, String password) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SECURITY_PROTOCOL);
    config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    config.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(user, password));
    config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.truststore().toString());
    config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, tls.password());
    config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, SelfSignedTls.STORE_TYPE);
    return config;
  }

  /** The {@code sasl.jaas.config} value of a SCRAM client logging in as {@code user}. */
  public static String jaasConfig(String user, String password) {
    return SCRAM_LOGIN_MODULE
        + " required username=\""
        + EmbeddedKafkaBroker.Builder.checkJaasValue("user", user)
        + "\" password=\""
        + EmbeddedKafkaBroker.Builder.checkJaasValue("password", password)
        + "\";";
  }

  @Override
  public String toString() {
    return "SaslSslListener[" + bootstrapServers + ", users=" + users + "]";
  }
}
