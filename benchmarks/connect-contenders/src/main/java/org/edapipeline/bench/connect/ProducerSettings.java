package org.edapipeline.bench.connect;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The producer settings of our CDC service (cdc-outbox-source's {@code EngineDefaults.producer}),
 * given to every CDC contender so that none is handicapped or favoured by its Kafka client: {@code
 * acks=all}, idempotence, {@code linger.ms=5}, 256 KiB batches, 64 MiB buffer, 5 requests in flight
 * (order-preserving with idempotence), 120 s delivery timeout.
 */
final class ProducerSettings {

  private ProducerSettings() {}

  /** The settings without any prefix (a producer's own keys). */
  static Map<String, String> of(String bootstrapServers, String clientId) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    settings.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    settings.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    settings.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L * 1024 * 1024));
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
    return settings;
  }
}
