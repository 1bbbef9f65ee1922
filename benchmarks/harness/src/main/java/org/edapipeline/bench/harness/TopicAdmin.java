package org.edapipeline.bench.harness;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Recreates topics empty through the Admin API (suites only know the bootstrap servers): deletes
 * those that exist, waits until the broker no longer lists them, creates them and waits for every
 * partition's leader.
 */
public final class TopicAdmin {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private TopicAdmin() {}

  /** Deletes (where they exist) and creates the topics, empty. */
  public static void recreate(String bootstrapServers, Collection<NewTopic> topics)
      throws Exception {
    Set<String> names = topics.stream().map(NewTopic::name).collect(Collectors.toSet());
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Set<String> existing = new HashSet<>(admin.listTopics().names().get());
      existing.retainAll(names);
      if (!existing.isEmpty()) {
        admin.deleteTopics(existing).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (admin.listTopics().names().get().stream().anyMatch(names::contains)) {
        check(deadline, "topics " + existing + " still listed after their deletion");
        TimeUnit.MILLISECONDS.sleep(50);
      }
      admin.createTopics(topics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      while (!allLed(admin, names)) {
        check(deadline, "topics " + names + " have no leaders yet");
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
  }

  private static boolean allLed(Admin admin, Set<String> names) {
    try {
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(names).allTopicNames().get();
      return descriptions.values().stream()
          .flatMap(d -> d.partitions().stream())
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (Exception e) {
      return false;
    }
  }

  private static void check(long deadline, String message) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(message + " within " + TIMEOUT);
    }
  }
}
