package org.edapipeline.cdc.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.ProducerConfig;

/** Whether the Kafka cluster answers, asked with an admin client of the producer's connection. */
public final class KafkaHealth implements AutoCloseable {

  private static final int TIMEOUT_MS = 2000;

  private static final String[] CONNECTION_PREFIXES = {
    "bootstrap.servers", "security.", "sasl.", "ssl.", "client.dns.lookup"
  };

  private final Admin admin;

  /**
   * @param producer the producer's configuration; its connection and security settings are used
   */
  public KafkaHealth(Map<String, String> producer) {
    Map<String, Object> config = connectionSettings(producer);
    config.put(
        AdminClientConfig.CLIENT_ID_CONFIG,
        producer.get(ProducerConfig.CLIENT_ID_CONFIG) + "-health");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    this.admin = Admin.create(config);
  }

  /**
   * A new, mutable map with the producer's connection and security settings ({@code
   * bootstrap.servers}, {@code security.*}, {@code sasl.*}, {@code ssl.*}, {@code
   * client.dns.lookup}), for the service's other Kafka clients.
   */
  public static Map<String, Object> connectionSettings(Map<String, String> producer) {
    Map<String, Object> config = new HashMap<>();
    producer.forEach(
        (key, value) -> {
          for (String prefix : CONNECTION_PREFIXES) {
            if (key.startsWith(prefix)) {
              config.put(key, value);
            }
          }
        });
    return config;
  }

  /** Whether a broker answered within two seconds. */
  public boolean reachable() {
    try {
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
          .nodes()
          .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .isEmpty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
