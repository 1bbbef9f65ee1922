package org.edapipeline.cdc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The CDC service as users run it: {@code java -jar target/cdc-outbox-source.jar --config FILE} in
 * a JVM of its own, output to a log file, killed with {@code kill -9} or stopped with SIGTERM.
 */
final class CdcProcess implements AutoCloseable {

  /** Built by {@code mvn package}, which runs before the integration tests. */
  static final Path JAR = Path.of("target", "cdc-outbox-source.jar");

  private final Path config;
  private final Map<String, String> environment;
  private final Path log;
  private final int httpPort;
  private Process process;

  CdcProcess(Map<String, String> values, Map<String, String> environment, Path directory)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn verify");
    }
    this.httpPort = freePort();
    Properties properties = new Properties();
    properties.putAll(values);
    properties.setProperty("cdc.http.port", Integer.toString(httpPort));
    Files.createDirectories(directory);
    this.config = directory.resolve("cdc.properties");
    try (var out = Files.newBufferedWriter(config)) {
      properties.store(out, "written by " + getClass().getSimpleName());
    }
    this.environment = environment;
    this.log = directory.resolve("cdc.log");
  }

  void start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(java, "-Xmx512m", "-jar", JAR.toString(), "--config", config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
  }

  int httpPort() {
    return httpPort;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no flush, no offset commit. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then waits for the JVM to exit; returns its exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("No exit within 60 s of SIGTERM; log:\n" + logTail());
    }
    return process.exitValue();
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  String logTail() {
    String text = log();
    return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (isAlive()) {
      kill();
    }
  }
}
