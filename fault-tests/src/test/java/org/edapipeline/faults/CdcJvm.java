package org.edapipeline.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The CDC service as users run it, {@code java -jar cdc-outbox-source.jar --config FILE}, in a JVM
 * of its own: started, killed with {@code kill -9}, started again. A JVM shutdown hook kills it if
 * the suite dies first, so no child process outlives the build.
 */
final class CdcJvm implements AutoCloseable {
  /** Set by the build (failsafe); built by cdc-outbox-source's package phase. */
  static final Path JAR =
      Path.of(System.getProperty("cdc.jar", "../cdc-outbox-source/target/cdc-outbox-source.jar"));

  private final Path config;
  private final Map<String, String> environment;
  private final Path log;
  private final int httpPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Thread shutdownHook = new Thread(this::killQuietly, "cdc-jvm-killer");
  private volatile Process process;

  CdcJvm(Map<String, String> values, Map<String, String> environment, Path directory)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: build cdc-outbox-source first (mvn -B verify)");
    }
    this.httpPort = freePort();
    Properties properties = new Properties();
    properties.putAll(values);
    properties.setProperty("cdc.http.host", "127.0.0.1");
    properties.setProperty("cdc.http.port", Integer.toString(httpPort));
    Files.createDirectories(directory);
    this.config = directory.resolve("cdc.properties");
    try (var out = Files.newBufferedWriter(config)) {
      properties.store(out, "written by " + getClass().getSimpleName());
    }
    this.environment = environment;
    this.log = directory.resolve("cdc.log");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  void start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx384m",
                    "-XX:+UseSerialGC",
                    "-jar",
                    JAR.toString(),
                    "--config",
                    config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    process = builder.start();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Whether {@code /health} answers 200. */
  boolean healthy() {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code kill -9}: no shutdown hook, no flush, no offset commit. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  String logTail() {
    try {
      String text = Files.exists(log) ? Files.readString(log) : "";
      return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private void killQuietly() {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops the JVM with SIGTERM (a clean stop), killing it if it does not exit in time. */
  @Override
  public void close() throws InterruptedException {
    Process running = process;
    if (running != null && running.isAlive()) {
      running.destroy();
      if (!running.waitFor(30, TimeUnit.SECONDS)) {
        running.destroyForcibly();
        running.waitFor(30, TimeUnit.SECONDS);
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs anyway
    }
  }
}
