package org.edapipeline.cdc;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.edapipeline.cdc.config.CdcConfig;
import org.edapipeline.cdc.config.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar cdc-outbox-source.jar --config FILE}: reads and validates the configuration
 * (environment variables override the file), starts the {@link CdcService} and stops it cleanly on
 * SIGTERM or Ctrl-C.
 */
@Command(
    name = "cdc-outbox-source",
    mixinStandardHelpOptions = true,
    version = "cdc-outbox-source 0.1.0",
    description = {
      "Streams committed outbox rows from PostgreSQL (pgoutput) to Kafka with Debezium's embedded"
          + " engine and the outbox EventRouter: topic <aggregatetype>.events, key = aggregate id,"
          + " value = the payload bytes unchanged, event metadata in headers.",
      "",
      "Configuration: Debezium-Server-style keys (debezium.source.*, debezium.sink.kafka.producer.*)"
          + " and cdc.* keys; an environment variable overrides a key (debezium.source.slot.name"
          + " <- DEBEZIUM_SOURCE_SLOT_NAME). Passwords come only from the environment or from a"
          + " file named by <key>.file. See the module README for every key."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped cleanly",
      "2:invalid configuration or arguments, or credentials refused by Kafka or PostgreSQL"
    })
public final class CdcOutboxSourceMain implements Callable<Integer> {

  /** Exit code of a configuration the service refuses. */
  static final int INVALID_CONFIG = 2;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "Properties file with the configuration.")
  private Path configFile;

  public static void main(String[] args) {
    int exitCode = new CommandLine(new CdcOutboxSourceMain()).execute(args);
    System.exit(exitCode);
  }

  @Override
  public Integer call() throws InterruptedException {
    CdcService service;
    try {
      service = CdcService.start(CdcConfig.load(configFile, System.getenv()));
    } catch (InvalidConfigException e) {
      // Also a password Kafka or PostgreSQL refused at start; the message names the key.
      System.err.println("Invalid configuration: " + e.getMessage());
      return INVALID_CONFIG;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "cdc-shutdown"));
    service.awaitClosed();
    return 0;
  }
}
