package org.edapipeline.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * One contender running in a JVM of its own (see {@link ContenderLifecycle} for the protocol).
 *
 * <p>Its stdout and stderr go to {@code contender.log} in the run's work directory; the harness
 * waits for the ready line, samples the process's CPU time (user + system, as the operating system
 * reports it for the whole process) at ready and at completion, then stops it with SIGTERM and
 * collects the metrics file it left. Every process started is registered for a JVM shutdown hook
 * that kills it and its descendants, so an aborted benchmark leaves nothing running.
 */
public final class ContenderProcess implements AutoCloseable {

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> LIVE.forEach(ContenderProcess::killTree), "benchmark-contender-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path workDir;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile Instant readyAt;
  private volatile Duration cpuAtReady;

  private ContenderProcess(String name, Process process, Path workDir) {
    this.name = name;
    this.process = process;
    this.workDir = workDir;
  }

  /**
   * Starts {@code java <jvmOptions> -cp <classpath> <mainClass> <spec-file>}, with the spec written
   * to the spec's work directory; ready when the contender prints {@link
   * ContenderLifecycle#READY_LINE}.
   */
  public static ContenderProcess start(
      String name,
      List<String> classpath,
      String mainClass,
      List<String> jvmOptions,
      ContenderSpec spec)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, classpath));
    command.add(mainClass);
    command.add(writeSpec(spec).toString());
    return start(
        name,
        command,
        spec.workDir(),
        Pattern.compile(Pattern.quote(ContenderLifecycle.READY_LINE)));
  }

  /**
   * Starts an arbitrary command in {@code workDir} (e.g. {@code java -jar cdc-outbox-source.jar
   * --config …}, which knows nothing of the contract); ready at the first output line matching
   * {@code readyLine}.
   */
  public static ContenderProcess start(
      String name, List<String> command, Path workDir, Pattern readyLine) throws IOException {
    Files.createDirectories(workDir);
    Process process =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    LIVE.add(process);
    ContenderProcess contender = new ContenderProcess(name, process, workDir);
    contender.pumpOutput(readyLine);
    return contender;
  }

  /** The {@code java} of the JVM running the harness. */
  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Writes the spec as {@code spec.properties} into its work directory and returns the file. */
  public static Path writeSpec(ContenderSpec spec) throws IOException {
    Files.createDirectories(spec.workDir());
    Path specFile = spec.workDir().resolve("spec.properties");
    spec.write(specFile);
    return specFile;
  }

  /** Waits for the ready line; fails with the log's tail when the process dies or is too slow. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.await(200, TimeUnit.MILLISECONDS)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " not ready within " + timeout + ":\n" + logTail());
      }
    }
  }

  /** When the contender said it was ready. */
  public Instant readyAt() {
    return readyAt;
  }

  /** Process CPU time (user + system, all threads) consumed between ready and now. */
  public Duration cpuSinceReady() {
    return cpuTime().minus(cpuAtReady);
  }

  /** Total process CPU time so far, as the operating system reports it. */
  public Duration cpuTime() {
    return process
        .toHandle()
        .info()
        .totalCpuDuration()
        .orElseThrow(
            () -> new IllegalStateException("the OS does not report CPU time for " + name));
  }

  /** The contender's id, as given to {@code start}. */
  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Stops the contender with SIGTERM (so it can write its metrics), then SIGKILL after {@code
   * grace}; returns the metrics it left (empty when none).
   */
  public Map<String, Double> stop(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      killTree(process);
      process.waitFor(30, TimeUnit.SECONDS);
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    LIVE.remove(process);
    return readMetrics();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(30));
    }
  }

  /** The last lines of the contender's log, for error messages. */
  public String logTail() {
    Path log = workDir.resolve("contender.log");
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private Map<String, Double> readMetrics() {
    Path file = workDir.resolve(ContenderLifecycle.METRICS_FILE);
    Map<String, Double> metrics = new TreeMap<>();
    if (!Files.exists(file)) {
      return metrics;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    properties
        .stringPropertyNames()
        .forEach(k -> metrics.put(k, Double.parseDouble(properties.getProperty(k))));
    return metrics;
  }

  private void pumpOutput(Pattern readyLine) {
    Path log = workDir.resolve("contender.log");
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (readyAt == null && readyLine.matcher(line).find()) {
                    cpuAtReady = cpuTime();
                    readyAt = Instant.now();
                    ready.countDown();
                  }
                  out.write(line);
                  out.newLine();
                  out.flush();
                }
              } catch (IOException e) {
                // The process ended; its log is as complete as it got.
              }
            },
            "contender-output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
