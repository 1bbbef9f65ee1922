package org.edapipeline.cdc.engine;

import io.debezium.embedded.KafkaConnectUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;
import org.apache.kafka.connect.util.TopicAdmin;

/**
 * Kafka Connect's offsets-in-a-topic store, closing the admin client it uses when it stops.
 *
 * <p>Debezium's own factory for this store ({@code KafkaConnectUtil.kafkaOffsetBackingStore})
 * creates a {@link SharedTopicAdmin} that nothing closes (in a Connect worker the worker owns it),
 * so every engine restart would leak an admin client and its thread, retrying connections forever.
 * The engine creates this class by name ({@code offset.storage}) with the no-argument constructor.
 */
public final class ClosingKafkaOffsetBackingStore extends KafkaOffsetBackingStore {

  private static final String CLIENT_ID = "edapipeline-cdc-offsets";

  private final AdminHolder admin;

  /**
   * Lends the store an admin client created from the worker configuration in {@link #configure}.
   */
  private static final class AdminHolder implements Supplier<TopicAdmin> {
    private volatile SharedTopicAdmin admin;

    @Override
    public TopicAdmin get() {
      return admin.get();
    }
  }

  public ClosingKafkaOffsetBackingStore() {
    this(new AdminHolder());
  }

  private ClosingKafkaOffsetBackingStore(AdminHolder admin) {
    super(admin, () -> CLIENT_ID, KafkaConnectUtil.converterForOffsetStore());
    this.admin = admin;
  }

  @Override
  public void configure(WorkerConfig config) {
    Map<String, Object> adminProps = new HashMap<>(config.originals());
    adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID + "-admin");
    admin.admin = new SharedTopicAdmin(adminProps);
    super.configure(config);
  }

  @Override
  public void stop() {
    try {
      super.stop();
    } finally {
      SharedTopicAdmin shared = admin.admin;
      if (shared != null) {
        shared.close();
      }
    }
  }
}
