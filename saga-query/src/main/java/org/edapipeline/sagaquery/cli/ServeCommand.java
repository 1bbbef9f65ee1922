package org.edapipeline.sagaquery.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.edapipeline.sagaquery.SagaQueryService;
import org.edapipeline.schemas.registry.SchemaRegistryClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sagas serve}: runs the query service until stopped (Ctrl-C, SIGTERM). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the saga query service: rebuild the view from the compacted saga state topic, follow"
            + " it (read_committed), and serve GET /sagas/{orderId}, GET /sagas?status=… and"
            + " /health.")
public final class ServeCommand implements Callable<Integer> {

  /** Port the service listens on by default. */
  public static final int DEFAULT_PORT = 8089;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-b", "--bootstrap-servers"},
      required = true,
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers.")
  String bootstrapServers;

  @Option(
      names = {"-r", "--registry-url"},
      required = true,
      paramLabel = "URL[,...]",
      description = "Schema registry.")
  String registryUrl;

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = {"-p", "--port"},
      defaultValue = "" + DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, …) and"
              + " registry settings (schema.registry.*, basic.auth.user.info), so that no secret"
              + " needs to be on the command line; -X wins over it.")
  Path kafkaConfig;

  @Option(
      names = {"-X", "--kafka-property"},
      paramLabel = "KEY=VALUE",
      description =
          "A Kafka client setting (security.protocol, sasl.*, ssl.*, …) or a registry setting"
              + " (schema.registry.*, basic.auth.user.info); repeatable.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535: " + port);
    }
    Properties kafka = new Properties();
    Map<String, Object> registry = new LinkedHashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    if (kafkaConfig != null) {
      settings.putAll(readProperties(kafkaConfig));
    }
    settings.putAll(properties);
    settings.forEach(
        (key, value) -> {
          if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")) {
            registry.put(key, value);
          } else {
            kafka.put(key, value);
          }
        });
    kafka.put("bootstrap.servers", bootstrapServers);
    registry.put(SchemaRegistryClientConfig.URL, registryUrl);
    CountDownLatch stopped = new CountDownLatch(1);
    try (SagaQueryService service =
        SagaQueryService.start(
            kafka,
            SchemaRegistryClientConfig.fromMap(registry),
            new InetSocketAddress(host, port))) {
      Thread hook = new Thread(stopped::countDown, "saga-query-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      spec.commandLine().getOut().println("Saga query service on " + service.url());
      spec.commandLine().getOut().flush();
      stopped.await();
    }
    return 0;
  }

  private Map<String, String> readProperties(Path file) {
    Properties loaded = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      loaded.load(reader);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--kafka-config: cannot read " + file + ": " + e.getMessage());
    }
    Map<String, String> map = new LinkedHashMap<>();
    loaded.stringPropertyNames().forEach(key -> map.put(key, loaded.getProperty(key).trim()));
    return map;
  }
}
