package org.edapipeline.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child JVM whose standard output and error go to one file; stopped gently, then forcibly. */
final class JvmProcess {
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(15);
  private static final int LOG_TAIL_LINES = 40;

  private final String name;
  private final Path outputFile;
  private final Path logFile;
  private final Process process;

  private JvmProcess(String name, Path outputFile, Path logFile, Process process) {
    this.name = name;
    this.outputFile = outputFile;
    this.logFile = logFile;
    this.process = process;
  }

  /**
   * Starts {@code command} (a full {@code java ...} command line) in {@code workDirectory}.
   *
   * @param outputFile receives standard output and error
   * @param logFile the process's own log file, quoted in {@link #describe()}
   */
  static JvmProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      Path workDirectory,
      Path outputFile,
      Path logFile) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDirectory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(outputFile.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(environment);
    try {
      return new JvmProcess(name, outputFile, logFile, builder.start());
    } catch (IOException e) {
      throw new FlinkClusterException("Cannot start the " + name + ": " + command.get(0), e);
    }
  }

  /**
   * Runs a short-lived JVM to completion and returns its standard output lines.
   *
   * @throws FlinkClusterException if it does not end within {@code timeout} or exits non-zero
   */
  static List<String> run(String name, List<String> command, Path workDirectory, Duration timeout) {
    Path output = workDirectory.resolve(name.replace(' ', '-') + ".out");
    JvmProcess process = start(name, command, Map.of(), workDirectory, output, output);
    try {
      if (!process.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.stop();
        throw new FlinkClusterException(
            "The " + name + " did not finish within " + timeout + process.describe());
      }
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      if (process.process.exitValue() != 0) {
        throw new FlinkClusterException(
            "The "
                + name
                + " failed with exit code "
                + process.process.exitValue()
                + process.describe());
      }
      return lines;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.stop();
      throw new FlinkClusterException("Interrupted while running the " + name, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (Flink shuts down cleanly), then SIGKILL if it has not ended in time. Idempotent. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL, as a crash would; returns once the process is gone. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A line naming the process, its state and the tails of its output and log, for failures. */
  String describe() {
    StringBuilder text = new StringBuilder("\n--- ").append(name).append(" (pid ").append(pid());
    text.append(process.isAlive() ? ", running" : ", exited " + process.exitValue()).append(")");
    text.append(tail(outputFile));
    if (!logFile.equals(outputFile)) {
      text.append(tail(logFile));
    }
    return text.toString();
  }

  private static String tail(Path file) {
    if (!Files.isReadable(file)) {
      return "\n  (no " + file + ")";
    }
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      List<String> tail =
          new ArrayList<>(lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
      return "\n  last lines of " + file + ":\n    " + String.join("\n    ", tail);
    } catch (IOException e) {
      return "\n  (cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
