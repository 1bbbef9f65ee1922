package org.edapipeline.dlq.cli;

import org.edapipeline.dlq.kafka.DlqTopic;
import picocli.CommandLine.Option;

/** Which dead-letter queue: by its name or by its source topic's. */
public final class QueueOptions {

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "DLQ",
      description = "The dead-letter queue by name: <source-topic>.dlq.")
  String topic;

  @Option(
      names = {"-s", "--source"},
      paramLabel = "TOPIC",
      description = "The source topic whose dead-letter queue to use.")
  String source;

  /** The chosen queue. */
  public DlqTopic dlq() {
    return topic != null ? DlqTopic.byName(topic) : DlqTopic.ofSource(source);
  }
}
