package org.edapipeline.dlq.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.edapipeline.dlq.kafka.DlqClientConfig;
import picocli.CommandLine.Option;

/** How to reach Kafka and the schema registry; shared by every subcommand. */
public final class ConnectionOptions {

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers (or bootstrap.servers in --kafka-config).")
  String bootstrapServers;

  @Option(
      names = {"-r", "--registry-url"},
      paramLabel = "URL[,...]",
      description = "Schema registry (or schema.registry.url in --kafka-config).")
  String registryUrl;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, ...) and"
              + " registry settings (schema.registry.*, basic.auth.user.info).")
  Path kafkaConfig;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description =
          "One Kafka client or registry setting; repeatable; wins over --kafka-config. E.g."
              + " -X security.protocol=SASL_SSL -X sasl.mechanism=SCRAM-SHA-512.")
  Map<String, String> kafkaProperties = new LinkedHashMap<>();

  /** The parsed settings; a bad one fails naming its key. */
  public DlqClientConfig clientConfig() {
    Map<String, String> properties = new LinkedHashMap<>();
    if (kafkaConfig != null) {
      properties.putAll(DlqClientConfig.readProperties(kafkaConfig));
    }
    properties.putAll(kafkaProperties);
    return DlqClientConfig.of(bootstrapServers, registryUrl, properties);
  }
}
