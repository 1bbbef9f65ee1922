package org.edapipeline.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink standalone session cluster for tests: the JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}) as two
 * separate JVM processes, started the way Flink's own scripts start them, from Maven artifacts.
 *
 * <pre>{@code
 * try (FlinkSessionCluster cluster = FlinkSessionCluster.builder().start()) {
 *   FlinkRestClient rest = cluster.rest();
 *   String jobId = rest.run(rest.uploadJar(jar), JarRun.of(entryClass, args));
 * }
 * }</pre>
 *
 * <p><b>Configuration.</b> The cluster runs on the project's {@code flink-conf/config.yaml} (and
 * its {@code log4j.properties}), copied into the cluster's work directory and overlaid with what a
 * test machine needs: addresses on localhost, free ports, directories inside the work directory,
 * small process memory, a 2 s checkpoint interval and no restarts ({@code restart-strategy.type:
 * none}, so a failing job fails the test instead of restarting forever). {@link
 * Builder#config(String, String)} overrides any key, for example a bounded restart strategy for a
 * recovery test.
 *
 * <p><b>Classpath.</b> Both processes run on the Flink distribution's jars only, listed in a file
 * that this module's build writes ({@code flink-cluster.classpath}, from its provided-scope
 * dependencies), never on the test's classpath: a job's classes come from the uploaded jar, as on a
 * real cluster.
 *
 * <p><b>Lifecycle.</b> {@link Builder#start()} returns once the TaskManager has registered its
 * slots. {@link #close()} stops both processes (SIGTERM, then SIGKILL after 15 s); a JVM shutdown
 * hook does the same if the test JVM ends without closing. The work directory (logs, checkpoints,
 * savepoints) is kept for inspection; this module's build puts it under {@code
 * target/flink-clusters/}.
 */
public final class FlinkSessionCluster implements AutoCloseable {
  /** The system property naming the classpath file; set by this module's build for its tests. */
  public static final String CLASSPATH_FILE_PROPERTY = "flink.cluster.classpath.file";

  /**
   * The system property naming the folder under which clusters without {@link
   * Builder#workDirectory} get their own work directory (default: {@code java.io.tmpdir}).
   */
  public static final String WORK_ROOT_PROPERTY = "flink.cluster.work.root";

  /** The system property naming the configuration folder (default: {@code flink-conf/}). */
  public static final String CONF_DIR_PROPERTY = "flink.conf.dir";

  private static final String JOB_MANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String EXEC_RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final String PROMETHEUS_FACTORY =
      "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
  private static final Pattern REPORTER_FACTORY_KEY =
      Pattern.compile("metrics\\.reporter\\.([^.]+)\\.factory\\.class");
  private static final Duration READY_POLL = Duration.ofMillis(250);

  /**
   * Flink's own {@code --add-opens} list (its {@code env.java.default-opts.all}), which the scripts
   * pass to every Flink JVM on Java 17; set by hand because no script runs here.
   */
  static final List<String> JAVA_17_OPENS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-exports=java.management/sun.management=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final Path workDirectory;
  private final Map<String, String> configuration;
  private final FlinkRestClient rest;
  private final JvmProcess jobManager;
  private final JvmProcess taskManager;
  private final OptionalInt jobManagerPrometheusPort;
  private final OptionalInt taskManagerPrometheusPort;
  private final Thread shutdownHook;
  private boolean closed; // guarded by this

  private FlinkSessionCluster(
      Path workDirectory,
      Map<String, String> configuration,
      FlinkRestClient rest,
      JvmProcess jobManager,
      JvmProcess taskManager,
      OptionalInt jobManagerPrometheusPort,
      OptionalInt taskManagerPrometheusPort,
      Thread shutdownHook) {
    this.workDirectory = workDirectory;
    this.configuration = Map.copyOf(configuration);
    this.rest = rest;
    this.jobManager = jobManager;
    this.taskManager = taskManager;
    this.jobManagerPrometheusPort = jobManagerPrometheusPort;
    this.taskManagerPrometheusPort = taskManagerPrometheusPort;
    this.shutdownHook = shutdownHook;
  }

  /** A builder with the defaults described on this class. */
  public static Builder builder() {
    return new Builder();
  }

  /** The REST client of this cluster's JobManager. */
  public FlinkRestClient rest() {
    return rest;
  }

  /** The REST API and web UI address, {@code http://localhost:<port>/}. */
  public URI restUri() {
    return rest.baseUri();
  }

  /** The effective configuration the processes run with (config.yaml plus the overlay). */
  public Map<String, String> configuration() {
    return configuration;
  }

  /**
   * The cluster's folder: {@code conf/}, {@code log/}, {@code checkpoints/}, {@code savepoints/}.
   */
  public Path workDirectory() {
    return workDirectory;
  }

  /** Where checkpoints are written ({@code execution.checkpointing.dir}). */
  public Path checkpointDirectory() {
    return workDirectory.resolve("checkpoints");
  }

  /** The default savepoint directory ({@code execution.checkpointing.savepoint-dir}). */
  public Path savepointDirectory() {
    return workDirectory.resolve("savepoints");
  }

  /** The JobManager's Prometheus scrape port, if config.yaml configures the Prometheus reporter. */
  public OptionalInt jobManagerPrometheusPort() {
    return jobManagerPrometheusPort;
  }

  /**
   * The TaskManager's Prometheus scrape port, if config.yaml configures the Prometheus reporter.
   */
  public OptionalInt taskManagerPrometheusPort() {
    return taskManagerPrometheusPort;
  }

  /** Both processes' state and the ends of their logs, for a failing test's message. */
  public String describe() {
    return jobManager.describe() + taskManager.describe();
  }

  /** Whether both JVMs are alive. */
  public boolean isRunning() {
    return jobManager.isAlive() && taskManager.isAlive();
  }

  /** Stops the TaskManager, then the JobManager; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running or about to; stopping twice is harmless
    }
    stopProcesses(taskManager, jobManager);
  }

  private static void stopProcesses(JvmProcess... processes) {
    for (JvmProcess process : processes) {
      if (process != null) {
        process.stop();
      }
    }
  }

  /** Configures and starts a {@link FlinkSessionCluster}. */
  public static final class Builder {
    private Path confDirectory;
    private Path classpathFile;
    private Path workDirectory;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private int taskSlots = 4;
    private Duration startupTimeout = Duration.ofSeconds(120);
    private final Map<String, String> overrides = new LinkedHashMap<>();

    private Builder() {}

    /**
     * The folder with {@code config.yaml} and {@code log4j.properties}. Default: the system
     * property {@value #CONF_DIR_PROPERTY}, else the nearest {@code flink-conf/} above the working
     * directory.
     */
    public Builder confDirectory(Path directory) {
      this.confDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The file listing the cluster's jars, separated by the path separator. Default: the system
     * property {@value #CLASSPATH_FILE_PROPERTY}, else {@code cluster-tests/target/
     * flink-cluster.classpath} above the working directory.
     */
    public Builder classpathFile(Path file) {
      this.classpathFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * The cluster's folder; default: a new directory under the system property {@value
     * #WORK_ROOT_PROPERTY} or {@code java.io.tmpdir}.
     */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** The JDK or JRE to run Flink with; default: the one running this code. */
    public Builder javaHome(Path home) {
      this.javaHome = Objects.requireNonNull(home, "home");
      return this;
    }

    /** Slots of the TaskManager; default 4 (two jobs at parallelism 2). */
    public Builder taskSlots(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("taskSlots must be at least 1, was " + slots);
      }
      this.taskSlots = slots;
      return this;
    }

    /** How long the processes may take until the TaskManager's slots are registered. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Sets a configuration key, overriding config.yaml and the test defaults. */
    public Builder config(String key, String value) {
      overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Starts the JobManager and TaskManager and waits until the TaskManager's slots are registered.
     *
     * @throws FlinkClusterException if a process fails to start or the cluster is not ready within
     *     the startup timeout; the message quotes the processes' logs. Nothing is left running.
     */
    public FlinkSessionCluster start() {
      Path conf = confDirectory != null ? confDirectory : defaultConfDirectory();
      Path classpath = classpathFile != null ? classpathFile : defaultClasspathFile();
      requireFile(conf.resolve("config.yaml"), "Flink configuration");
      requireFile(conf.resolve("log4j.properties"), "Flink logging configuration");
      requireFile(classpath, "Flink cluster classpath (written by the cluster-tests build)");
      try {
        Path work =
            (workDirectory != null
                    ? Files.createDirectories(workDirectory)
                    : Files.createTempDirectory(workRoot(), "flink-cluster-"))
                .toAbsolutePath();
        return new Launch(this, conf, classpath, work).start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot prepare the Flink cluster's directories", e);
      }
    }

    private static void requireFile(Path file, String what) {
      if (!Files.isRegularFile(file)) {
        throw new FlinkClusterException(what + " not found: " + file.toAbsolutePath());
      }
    }
  }

  /** One start: writes the configuration, computes memory flags, launches and awaits. */
  private static final class Launch {
    private final Builder builder;
    private final Path sourceConf;
    private final String classpath;
    private final Path work;
    private final Path conf;
    private final Path logs;
    private JvmProcess jobManager;
    private JvmProcess taskManager;

    Launch(Builder builder, Path sourceConf, Path classpathFile, Path work) throws IOException {
      this.builder = builder;
      this.sourceConf = sourceConf;
      this.classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).strip();
      this.work = work;
      this.conf = Files.createDirectories(work.resolve("conf"));
      this.logs = Files.createDirectories(work.resolve("log"));
      Files.createDirectories(work.resolve("tmp"));
    }

    FlinkSessionCluster start() throws IOException {
      int restPort = freePort();
      Map<String, String> settings = clusterSettings(restPort);
      // Each process gets its own conf/ folder: they differ only in the Prometheus port, which the
      // JobManager reads from config.yaml alone (a -D override reaches its reporters too late).
      String prometheusReporter = prometheusReporter(settings);
      OptionalInt jmMetricsPort =
          prometheusReporter == null ? OptionalInt.empty() : OptionalInt.of(freePort());
      OptionalInt tmMetricsPort =
          prometheusReporter == null ? OptionalInt.empty() : OptionalInt.of(freePort());
      Path jmConf = writeConf("jobmanager", settings, prometheusReporter, jmMetricsPort);
      Path tmConf = writeConf("taskmanager", settings, prometheusReporter, tmMetricsPort);

      ResourceParams jmParams = resourceParams("GET_JM_RESOURCE_PARAMS", jmConf);
      ResourceParams tmParams = resourceParams("GET_TM_RESOURCE_PARAMS", tmConf);
      Thread hook = new Thread(() -> stopProcesses(taskManager, jobManager), "flink-cluster-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        List<String> jmArgs = new ArrayList<>(List.of("--executionMode", "cluster"));
        jmArgs.addAll(jmParams.dynamicProperties());
        jobManager = launch("JobManager", JOB_MANAGER_MAIN, jmConf, jmParams.jvmFlags(), jmArgs);
        taskManager =
            launch(
                "TaskManager",
                TASK_MANAGER_MAIN,
                tmConf,
                tmParams.jvmFlags(),
                tmParams.dynamicProperties());

        FlinkRestClient rest = new FlinkRestClient(URI.create("http://localhost:" + restPort));
        awaitSlots(rest);
        return new FlinkSessionCluster(
            work, settings, rest, jobManager, taskManager, jmMetricsPort, tmMetricsPort, hook);
      } catch (RuntimeException e) {
        stopProcesses(taskManager, jobManager);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook stops them anyway
        }
        throw e;
      }
    }

    /** config.yaml with the test overlay: localhost, free ports, work directories, test timings. */
    private Map<String, String> clusterSettings(int restPort) {
      Map<String, String> settings = FlinkConfigYaml.read(sourceConf.resolve("config.yaml"));
      settings.put("jobmanager.rpc.address", "localhost");
      settings.put("jobmanager.bind-host", "localhost");
      settings.put("jobmanager.rpc.port", Integer.toString(freePort()));
      settings.put("taskmanager.bind-host", "localhost");
      settings.put("taskmanager.host", "localhost");
      settings.put("rest.address", "localhost");
      settings.put("rest.bind-address", "localhost");
      settings.put("rest.port", Integer.toString(restPort));
      settings.put("jobmanager.memory.process.size", "1024m");
      settings.put("taskmanager.memory.process.size", "1536m");
      settings.put("taskmanager.numberOfTaskSlots", Integer.toString(builder.taskSlots));
      settings.put("execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString());
      settings.put(
          "execution.checkpointing.savepoint-dir", work.resolve("savepoints").toUri().toString());
      settings.put("io.tmp.dirs", work.resolve("tmp").toString());
      settings.put("web.tmpdir", work.resolve("tmp").toString());
      settings.put("web.upload.dir", work.resolve("web-upload").toString());
      settings.put("execution.checkpointing.interval", "2s");
      settings.put("execution.checkpointing.min-pause", "500ms");
      settings.put("restart-strategy.type", "none");
      settings.putAll(builder.overrides);
      return settings;
    }

    private Path writeConf(
        String process, Map<String, String> settings, String reporter, OptionalInt metricsPort)
        throws IOException {
      Path dir = Files.createDirectories(conf.resolve(process));
      Map<String, String> own = new LinkedHashMap<>(settings);
      metricsPort.ifPresent(
          port -> own.put("metrics.reporter." + reporter + ".port", Integer.toString(port)));
      FlinkConfigYaml.write(own, dir.resolve("config.yaml"));
      for (String file : List.of("log4j.properties", "log4j-console.properties")) {
        if (Files.isRegularFile(sourceConf.resolve(file))) {
          Files.copy(
              sourceConf.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    }

    /** What Flink's scripts get from BashJavaUtils: JVM memory flags and derived -D settings. */
    private ResourceParams resourceParams(String command, Path processConf) {
      List<String> cmd = new ArrayList<>();
      cmd.add(java());
      cmd.add("-Dlog4j.configurationFile=file:" + processConf.resolve("log4j.properties"));
      cmd.add("-Dlog.file=" + logs.resolve("bash-java-utils.log"));
      cmd.addAll(
          List.of(
              "-cp", classpath, BASH_JAVA_UTILS, command, "--configDir", processConf.toString()));
      List<String> results =
          JvmProcess.run("memory calculation " + command, cmd, work, builder.startupTimeout)
              .stream()
              .filter(line -> line.startsWith(EXEC_RESULT_PREFIX))
              .map(line -> line.substring(EXEC_RESULT_PREFIX.length()).strip())
              .toList();
      if (results.size() < 2) {
        throw new FlinkClusterException(
            "BashJavaUtils " + command + " printed " + results.size() + " results, expected 2");
      }
      return new ResourceParams(
          split(results.get(results.size() - 2)), split(results.get(results.size() - 1)));
    }

    private JvmProcess launch(
        String name, String mainClass, Path processConf, List<String> jvmFlags, List<String> args) {
      String id = name.toLowerCase(java.util.Locale.ROOT);
      Path logFile = logs.resolve(id + ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(java());
      cmd.addAll(jvmFlags);
      // Small heaps on shared cores: one GC thread is enough and leaves CPU to the jobs.
      cmd.add("-XX:+UseSerialGC");
      cmd.addAll(JAVA_17_OPENS);
      cmd.add("-Dlog.file=" + logFile);
      cmd.add("-Dlog4j.configurationFile=file:" + processConf.resolve("log4j.properties"));
      cmd.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
      cmd.addAll(List.of("-cp", classpath, mainClass, "--configDir", processConf.toString()));
      cmd.addAll(args);
      return JvmProcess.start(
          name,
          cmd,
          Map.of("FLINK_CONF_DIR", processConf.toString(), "FLINK_LOG_DIR", logs.toString()),
          work,
          logs.resolve(id + ".out"),
          logFile);
    }

    private void awaitSlots(FlinkRestClient rest) {
      Instant deadline = Instant.now().plus(builder.startupTimeout);
      String last = "no answer yet";
      while (Instant.now().isBefore(deadline)) {
        if (!jobManager.isAlive() || !taskManager.isAlive()) {
          throw new FlinkClusterException(
              "A Flink process ended during startup"
                  + jobManager.describe()
                  + taskManager.describe());
        }
        try {
          ClusterOverview overview = rest.overview();
          if (overview.taskManagers() >= 1 && overview.slotsTotal() >= builder.taskSlots) {
            return;
          }
          last = overview.toString();
        } catch (FlinkClusterException notYet) {
          last = notYet.getMessage();
        }
        try {
          // Poll interval within the start deadline: the REST API cannot notify readiness.
          Thread.sleep(READY_POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FlinkClusterException("Interrupted while starting the Flink cluster", e);
        }
      }
      throw new FlinkClusterException(
          "Flink cluster not ready within "
              + builder.startupTimeout
              + " (last: "
              + last
              + ")"
              + jobManager.describe()
              + taskManager.describe());
    }

    private String java() {
      return builder.javaHome.resolve("bin").resolve("java").toString();
    }

    private static List<String> split(String line) {
      return line.isEmpty() ? List.of() : Arrays.asList(line.split("\\s+"));
    }

    private static String prometheusReporter(Map<String, String> settings) {
      for (Map.Entry<String, String> setting : settings.entrySet()) {
        Matcher key = REPORTER_FACTORY_KEY.matcher(setting.getKey());
        if (key.matches() && PROMETHEUS_FACTORY.equals(setting.getValue())) {
          return key.group(1);
        }
      }
      return null;
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("No free port", e);
      }
    }
  }

  private record ResourceParams(List<String> jvmFlags, List<String> dynamicProperties) {}

  private static Path workRoot() throws IOException {
    String property = System.getProperty(WORK_ROOT_PROPERTY);
    return Files.createDirectories(
        Path.of(property != null ? property : System.getProperty("java.io.tmpdir")));
  }

  private static Path defaultConfDirectory() {
    String property = System.getProperty(CONF_DIR_PROPERTY);
    return property != null ? Path.of(property) : findUpwards(Path.of("flink-conf"));
  }

  private static Path defaultClasspathFile() {
    String property = System.getProperty(CLASSPATH_FILE_PROPERTY);
    return property != null
        ? Path.of(property)
        : findUpwards(Path.of("cluster-tests", "target", "flink-cluster.classpath"));
  }

  private static Path findUpwards(Path relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    return Path.of("").toAbsolutePath().resolve(relative); // fails later with its full path
  }
}
