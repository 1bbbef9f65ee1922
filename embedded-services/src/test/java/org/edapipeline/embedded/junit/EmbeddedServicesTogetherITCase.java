package org.edapipeline.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both extensions in one class, ordered as a schema registry extension would be ordered after
 * Kafka; start-up times are in the log.
 */
class EmbeddedServicesTogetherITCase {

  @RegisterExtension
  @Order(1)
  static final KafkaExtension KAFKA = new KafkaExtension();

  @RegisterExtension
  @Order(2)
  static final PostgresExtension PG = new PostgresExtension();

  @Test
  void shouldRunPostgresAndKafkaSideBySide() throws Exception {
    KAFKA.createTopic("outbox.events", 2);

    try (Connection connection = PG.connect();
        Admin admin = KAFKA.admin()) {
      assertThat(connection.isValid(5)).isTrue();
      assertThat(admin.listTopics().names().get()).containsAll(List.of("outbox.events"));
    }
    assertThat(PG.server().isRunning()).isTrue();
    assertThat(KAFKA.broker().isRunning()).isTrue();
  }
}
