package org.edapipeline.bench.flink;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * A contender started as the harness starts it: a JVM of its own ({@code java -cp
 * target/classes:<target/classpath.txt> <main> <spec file>}), ready at its ready line, stopped with
 * SIGTERM; then its metrics file is read. Always {@link #close()}d, so no process outlives the
 * test.
 */
final class ContenderJvm implements AutoCloseable {

  private final Process process;
  private final Path workDir;
  private final Path log;

  private ContenderJvm(Process process, Path workDir, Path log) {
    this.process = process;
    this.workDir = workDir;
    this.log = log;
  }

  /** Writes the spec into its work directory and starts {@code mainClass} on it. */
  static ContenderJvm start(Class<?> mainClass, ContenderSpec spec) throws IOException {
    Path workDir = spec.workDir();
    Files.createDirectories(workDir);
    Path specFile = workDir.resolve("spec.properties");
    spec.write(specFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    // The same --add-opens (Flink's list) as this test JVM.
    List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < jvmArgs.size(); i++) {
      if (jvmArgs.get(i).startsWith("--add-opens") || jvmArgs.get(i).startsWith("--add-exports")) {
        command.add(jvmArgs.get(i));
        if (!jvmArgs.get(i).contains("=") && i + 1 < jvmArgs.size()) {
          command.add(jvmArgs.get(++i));
        }
      }
    }
    command.add("-cp");
    command.add(harnessClasspath());
    command.add(mainClass.getName());
    command.add(specFile.toString());
    Path log = workDir.resolve("contender.log");
    Process process =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new ContenderJvm(process, workDir, log);
  }

  /**
   * What the harness starts a contender with: {@code target/classes} and the runtime classpath the
   * module writes at {@code package} ({@code target/classpath.txt}), not this test's classpath
   * (which also holds the embedded services and test libraries).
   */
  static String harnessClasspath() throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    Path classpath = target.resolve("classpath.txt");
    if (!Files.exists(classpath)) {
      throw new IllegalStateException(
          classpath + " is missing: run the ITCases through `mvn verify` (package writes it)");
    }
    return target.resolve("classes")
        + java.io.File.pathSeparator
        + Files.readString(classpath).strip();
  }

  /** Waits for the ready line; fails with the log when the process dies or is too slow. */
  ContenderJvm awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains(ContenderLifecycle.READY_LINE)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError("contender exited before it was ready:\n" + output());
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("contender not ready within " + timeout + ":\n" + output());
  }

  /** Whether the contender still runs (a contender never exits on its own). */
  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, as the harness stops a contender; returns the metrics file it left. */
  Map<String, String> stop() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("contender did not stop within 60 s of SIGTERM:\n" + output());
    }
    Path metrics = workDir.resolve(ContenderLifecycle.METRICS_FILE);
    if (!Files.exists(metrics)) {
      throw new AssertionError("no metrics file after SIGTERM:\n" + output());
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(metrics)) {
      properties.load(reader);
    }
    Map<String, String> values = new java.util.TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    return values;
  }

  /** What the contender printed (the ready line and errors only). */
  String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
