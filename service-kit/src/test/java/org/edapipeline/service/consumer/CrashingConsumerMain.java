package org.edapipeline.service.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.edapipeline.events.payment.PaymentProcessed;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.registry.RestSchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;

/**
 * The consumer JVM that {@link IdempotentConsumerCrashITCase} kills: it charges payments like the
 * service of {@link PaymentsFixture} and, right after the database commit of the N-th event and
 * before any Kafka offset commit, writes a signal file and hangs until it is killed.
 *
 * <p>Arguments: bootstrap servers, registry URL, JDBC URL, user, password, topic, group, signal
 * file, N.
 */
public final class CrashingConsumerMain {

  private CrashingConsumerMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrapServers = args[0];
    SchemaRegistryClient registry =
        new RestSchemaRegistryClient(SchemaRegistryClientConfig.builder(args[1]).build());
    DataSource db = PaymentsFixture.dataSource(args[2], args[3], args[4]);
    Topic<String, PaymentProcessed> topic = PaymentsFixture.topicNamed(args[5]);
    String group = args[6];
    Path signal = Path.of(args[7]);
    int hangAfter = Integer.parseInt(args[8]);

    AtomicInteger processed = new AtomicInteger();
    ConsumerListener<PaymentProcessed> hangAfterCommit =
        new ConsumerListener<>() {
          @Override
          public void onProcessed(DecodedRecord<PaymentProcessed> record) {
            if (processed.incrementAndGet() == hangAfter) {
              signal(signal);
              hang();
            }
          }
        };
    PaymentsFixture fixture = new PaymentsFixture(bootstrapServers, registry);
    IdempotentConsumerConfig config = fixture.config(group, topic).build();
    IdempotentConsumer.builder(config, db, registry, PaymentProcessed.class)
        .handler(fixture::charge)
        .listener(hangAfterCommit)
        .build()
        .run();
  }

  private static void signal(Path signal) {
    try {
      Path tmp = signal.resolveSibling(signal.getFileName() + ".tmp");
      Files.writeString(tmp, "committed");
      Files.move(tmp, signal, StandardCopyOption.ATOMIC_MOVE);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hang() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
