package org.edapipeline.bench.harness.cdc;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.edapipeline.bench.harness.BenchContext;
import org.edapipeline.bench.harness.ContenderProcess;
import org.edapipeline.bench.harness.JvmOptions;

/**
 * Our CDC service as users run it, {@code java -jar cdc-outbox-source.jar --config <file>}, in a
 * JVM of its own with the suites' common JVM options, on a given slot; ready at its "Streaming the
 * outbox to Kafka" log line.
 */
public final class OurCdcProcess {

  /** Our service's log line once its engine streams. */
  static final Pattern READY = Pattern.compile("Streaming the outbox to Kafka");

  private OurCdcProcess() {}

  /** The shaded jar {@code mvn package} builds. */
  public static Path jar(BenchContext context) {
    return context.repositoryRoot().resolve("cdc-outbox-source/target/cdc-outbox-source.jar");
  }

  /** Fails naming the jar when it was not built. */
  public static void requireJar(BenchContext context) {
    if (!Files.isRegularFile(jar(context))) {
      throw new IllegalStateException(
          jar(context) + " is missing: build cdc-outbox-source (benchmarks/run.sh does)");
    }
  }

  /** Starts the service on {@code slot} with its configuration written into {@code runDir}. */
  public static ContenderProcess start(String name, BenchContext context, Path runDir, String slot)
      throws Exception {
    Files.createDirectories(runDir);
    List<String> command = new ArrayList<>();
    command.add(ContenderProcess.javaExecutable());
    command.addAll(JvmOptions.plain(context, runDir));
    command.add("-jar");
    command.add(jar(context).toString());
    command.add("--config");
    command.add(config(context, runDir, slot).toString());
    return ContenderProcess.start(name, command, runDir, READY);
  }

  /**
   * The configuration file: only what differs from the service's defaults (the database, slot,
   * Kafka, registry; offsets in a file like Connect standalone's; the password in a file of its
   * own, since the service refuses secrets in its configuration).
   */
  static Path config(BenchContext context, Path runDir, String slot) throws Exception {
    URI database = URI.create(context.postgresJdbcUrl().substring("jdbc:".length()));
    Properties config = new Properties();
    config.setProperty("debezium.source.database.hostname", database.getHost());
    config.setProperty(
        "debezium.source.database.port",
        Integer.toString(database.getPort() < 0 ? 5432 : database.getPort()));
    config.setProperty("debezium.source.database.dbname", database.getPath().substring(1));
    config.setProperty("debezium.source.database.user", context.postgresUser());
    if (context.postgresPassword() != null) {
      Path password = runDir.resolve("pg.password");
      Files.writeString(password, context.postgresPassword());
      config.setProperty("debezium.source.database.password.file", password.toString());
    }
    config.setProperty("debezium.source.slot.name", slot);
    config.setProperty("debezium.source.offset.storage", "file");
    config.setProperty(
        "debezium.source.offset.storage.file.filename", runDir.resolve("cdc.offsets").toString());
    config.setProperty(
        "debezium.sink.kafka.producer.bootstrap.servers", context.bootstrapServers());
    config.setProperty("cdc.schema.registry.url", context.schemaRegistryUrl());
    config.setProperty("cdc.http.host", "127.0.0.1");
    config.setProperty("cdc.http.port", "0");
    Path file = runDir.resolve("cdc.properties");
    try (var out = Files.newBufferedWriter(file)) {
      config.store(out, "our CDC service on slot " + slot);
    }
    return file;
  }
}
