package org.edapipeline.dlq.kafka;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;

/**
 * A dead-letter queue of the catalogue and the topic whose failed records it holds.
 *
 * @param topic the dead-letter queue
 * @param source the topic a replay publishes to; empty for a queue whose records did not come from
 *     a topic ({@link Topics#CDC_OUTBOX_DLQ}: rows of the outbox table), which cannot be replayed
 */
public record DlqTopic(Topic<byte[], DeadLetter> topic, Optional<Topic<?, ?>> source) {

  public DlqTopic {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(source, "source");
  }

  /** Every dead-letter queue of the catalogue, in the catalogue's order. */
  public static List<DlqTopic> all() {
    return Topics.all().stream().filter(DlqTopic::isDeadLetterQueue).map(DlqTopic::of).toList();
  }

  /**
   * The dead-letter queue named {@code name}.
   *
   * @throws IllegalArgumentException if the catalogue has no dead-letter queue of that name
   */
  public static DlqTopic byName(String name) {
    return Topics.byName(name)
        .filter(DlqTopic::isDeadLetterQueue)
        .map(DlqTopic::of)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + name
                        + "' is not a dead-letter queue of the catalogue; known: "
                        + names()));
  }

  /**
   * The dead-letter queue of the topic named {@code sourceName}.
   *
   * @throws IllegalArgumentException if that topic has no dead-letter queue in the catalogue
   */
  public static DlqTopic ofSource(String sourceName) {
    return all().stream()
        .filter(dlq -> dlq.source().map(s -> s.name().equals(sourceName)).orElse(false))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "'"
                        + sourceName
                        + "' is not a topic with a dead-letter queue; known: "
                        + all().stream()
                            .flatMap(dlq -> dlq.source().stream())
                            .map(Topic::name)
                            .toList()));
  }

  /** The queue's name. */
  public String name() {
    return topic.name();
  }

  @Override
  public String toString() {
    return topic.name();
  }

  private static List<String> names() {
    return all().stream().map(DlqTopic::name).toList();
  }

  private static boolean isDeadLetterQueue(Topic<?, ?> topic) {
    return Topics.isDlq(topic) && topic.carries(DeadLetter.class);
  }

  @SuppressWarnings("unchecked")
  private static DlqTopic of(Topic<?, ?> topic) {
    String sourceName =
        topic.name().substring(0, topic.name().length() - Topics.DLQ_SUFFIX.length());
    Optional<Topic<?, ?>> source =
        Topics.byName(sourceName)
            .filter(candidate -> !Topics.isDlq(candidate))
            .filter(candidate -> Topics.dlqOf(candidate).name().equals(topic.name()));
    return new DlqTopic((Topic<byte[], DeadLetter>) topic, source);
  }
}
