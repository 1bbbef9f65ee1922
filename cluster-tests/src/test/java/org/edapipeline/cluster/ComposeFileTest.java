package org.edapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edapipeline.schemas.Topic;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} against the project, since no Docker engine runs in the build: what it
 * mounts or builds exists, host ports do not clash, every variable it reads is in {@code
 * .env.example}, every dependency names a service that can satisfy its condition, images match the
 * versions the build uses, and the topic-init script creates exactly the topic catalogue.
 */
class ComposeFileTest {
  static final Path ROOT = Path.of(System.getProperty("project.root")).toAbsolutePath().normalize();
  private static final Pattern VARIABLE =
      Pattern.compile("(?<!\\$)\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)[^}]*}|([A-Za-z_][A-Za-z0-9_]*))");
  private static final Pattern CREATE_TOPIC =
      Pattern.compile("(?m)^create_topic (\\S+) (\\d+)((?: \\S+=\\S+)*)\\s*$");

  private static String composeText;
  private static JsonNode compose;
  private static JsonNode services;

  @BeforeAll
  static void parse() throws IOException {
    composeText = Files.readString(ROOT.resolve("docker-compose.yml"));
    compose = new ObjectMapper(new YAMLFactory()).readTree(composeText);
    services = compose.path("services");
  }

  @Test
  void shouldDeclareTheServicesOfThePipeline() {
    assertThat(names(services))
        .contains(
            "postgres",
            "kafka",
            "kafka-init",
            "schema-registry",
            "jobmanager",
            "taskmanager",
            "jobs-submitter",
            "cdc-outbox-source",
            "saga-query",
            "db-migrate",
            "simulators",
            "dlq-monitor",
            "prometheus",
            "grafana");
  }

  @Test
  void shouldScrapeEveryMetricsEndpointOnThePortItServes() throws IOException {
    JsonNode prometheus = yaml(ROOT.resolve("deploy/compose/prometheus.yml"));
    Map<String, String> targets = new TreeMap<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      for (JsonNode config : job.path("static_configs")) {
        for (JsonNode target : config.path("targets")) {
          String[] hostPort = target.asText().split(":");
          assertThat(names(services)).as("scraped service").contains(hostPort[0]);
          targets.put(hostPort[0], hostPort[1]);
        }
      }
    }
    String flinkPort =
        FlinkConfigYaml.read(ROOT.resolve("flink-conf/config.yaml"))
            .get("metrics.reporter.prom.port");
    String cdcPort =
        properties(ROOT.resolve("deploy/compose/cdc-outbox-source.properties"))
            .getProperty("cdc.http.port");
    List<String> dlqCommand = new ArrayList<>();
    services.path("dlq-monitor").path("command").forEach(word -> dlqCommand.add(word.asText()));
    assertThat(dlqCommand)
        .containsSubsequence("java", "-jar", "/opt/eda/dlq.jar", "depth")
        .contains("--watch");
    String dlqPort = dlqCommand.get(dlqCommand.indexOf("--metrics-port") + 1);
    assertThat(targets)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "jobmanager", flinkPort,
                "taskmanager", flinkPort,
                "cdc-outbox-source", cdcPort,
                "dlq-monitor", dlqPort));
    assertThat(services.path("dlq-monitor").path("volumes").toString())
        .contains("./dlq-tool/target/dlq.jar:/opt/eda/dlq.jar");
  }

  @Test
  void shouldLoadPrometheusRulesAndProvisionGrafanaFromMountedFiles() throws IOException {
    Map<String, Path> prometheusMounts = mounts("prometheus");
    assertThat(services.path("prometheus").path("command").toString())
        .contains("--config.file=/etc/prometheus/prometheus.yml");
    JsonNode prometheus = yaml(prometheusMounts.get("/etc/prometheus/prometheus.yml"));
    for (JsonNode ruleFile : prometheus.path("rule_files")) {
      Path rules = prometheusMounts.get(ruleFile.asText());
      assertThat(rules).as("mounted rule file " + ruleFile.asText()).isNotNull().isRegularFile();
      assertThat(yaml(rules).path("groups").path(0).path("rules")).isNotEmpty();
    }

    Map<String, Path> grafanaMounts = mounts("grafana");
    Path provisioning = grafanaMounts.get("/etc/grafana/provisioning");
    JsonNode datasource =
        yaml(provisioning.resolve("datasources/prometheus.yml")).path("datasources").path(0);
    assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    assertThat(services.path("prometheus").path("ports").toString()).contains(":9090\"");
    JsonNode provider =
        yaml(provisioning.resolve("dashboards/eda-pipeline.yml")).path("providers").path(0);
    Path dashboards = grafanaMounts.get(provider.path("options").path("path").asText());
    assertThat(dashboards).as("the provider's path is mounted").isNotNull().isDirectory();
    JsonNode dashboard =
        new ObjectMapper().readTree(dashboards.resolve("eda-pipeline.json").toFile());
    assertThat(dashboard.path("panels").findValues("uid"))
        .as("panels use the provisioned data source")
        .isNotEmpty()
        .allMatch(uid -> uid.asText().equals(datasource.path("uid").asText()));
    assertThat(
            services
                .path("grafana")
                .path("environment")
                .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
                .asText())
        .isEqualTo(provider.path("options").path("path").asText() + "/eda-pipeline.json");
  }

  @Test
  void shouldMigrateTheShopDatabaseBeforeTheCdcSourceStarts() throws IOException {
    JsonNode migrate = services.path("db-migrate");
    assertRunsLocalStackJar(migrate, "migrate");
    assertThat(migrate.path("restart").asText()).isEqualTo("no");
    assertThat(dependencies(migrate)).containsEntry("postgres", "service_healthy");
    assertThat(environment(migrate))
        .containsKeys("SIMULATOR_JDBC_URL", "SIMULATOR_JDBC_USER", "SIMULATOR_JDBC_PASSWORD");
    assertReadByTheLocalStackJar(migrate);
    // Debezium does not create the outbox's publication (autocreate disabled): without the
    // migration first, the CDC source never becomes healthy, and nothing after it starts.
    assertThat(dependencies(services.path("cdc-outbox-source")))
        .containsEntry("db-migrate", "service_completed_successfully");
  }

  @Test
  void shouldRunTheSimulatorsFromTheLocalStackJarOnceTheCdcSourceStreams() throws IOException {
    JsonNode simulators = services.path("simulators");
    assertRunsLocalStackJar(simulators, "simulate");
    // The CDC source's slot must exist before the first outbox row: its health says it streams.
    assertThat(dependencies(simulators))
        .containsEntry("postgres", "service_healthy")
        .containsEntry("kafka", "service_healthy")
        .containsEntry("kafka-init", "service_completed_successfully")
        .containsEntry("schema-registry", "service_healthy")
        .containsEntry("cdc-outbox-source", "service_healthy");
    Map<String, String> env = environment(simulators);
    Set<String> required = requiredLocalStackVariables();
    assertThat(required)
        .contains(
            "SIMULATOR_KAFKA_BOOTSTRAP_SERVERS",
            "SIMULATOR_JDBC_URL",
            "SIMULATOR_JDBC_USER",
            "SIMULATOR_SCHEMA_REGISTRY_URL");
    assertThat(env).containsKeys(required.toArray(String[]::new));
    assertThat(env).containsKey("SIMULATOR_JDBC_PASSWORD");
    assertReadByTheLocalStackJar(simulators);
    // The addresses are the ones the other containers serve.
    JsonNode kafka = services.path("kafka").path("environment");
    assertThat(kafka.path("KAFKA_ADVERTISED_LISTENERS").asText())
        .contains("//" + env.get("SIMULATOR_KAFKA_BOOTSTRAP_SERVERS"));
    String registryPort =
        services
            .path("schema-registry")
            .path("environment")
            .path("SCHEMA_REGISTRY_LISTENERS")
            .asText()
            .replaceAll(".*:", "");
    assertThat(env.get("SIMULATOR_SCHEMA_REGISTRY_URL"))
        .isEqualTo("http://schema-registry:" + registryPort);
    assertThat(env.get("SIMULATOR_JDBC_URL"))
        .isEqualTo("jdbc:postgresql://postgres:5432/${POSTGRES_DB}");
    assertThat(env.get("SIMULATOR_JDBC_USER")).isEqualTo("${POSTGRES_USER}");
    assertThat(env.get("SIMULATOR_JDBC_PASSWORD")).isEqualTo("${POSTGRES_PASSWORD}");
  }

  @Test
  void shouldServeTheSagasFromTheSagaQueryJarOnceKafkaAndTheRegistryAreUp() {
    JsonNode sagaQuery = services.path("saga-query");
    assertThat(sagaQuery.path("image").asText()).startsWith("eclipse-temurin:17-");
    assertThat(sagaQuery.path("volumes").toString())
        .contains("./saga-query/target/saga-query.jar:/opt/eda/saga-query.jar");
    List<String> command = new ArrayList<>();
    sagaQuery.path("command").forEach(word -> command.add(word.asText()));
    assertThat(command)
        .containsSubsequence("java", "-jar", "/opt/eda/saga-query.jar", "serve")
        .containsSubsequence("--bootstrap-servers", "kafka:9092")
        .containsSubsequence("--registry-url", "http://schema-registry:8081");
    String port = command.get(command.indexOf("--port") + 1);
    assertThat(sagaQuery.path("ports").toString()).contains(":" + port + "\"");
    assertThat(sagaQuery.path("healthcheck").path("test").toString())
        .contains("http://localhost:" + port + "/health");
    assertThat(names(sagaQuery.path("depends_on")))
        .contains("kafka", "kafka-init", "schema-registry");
  }

  @Test
  void shouldRunEveryServiceFromAPinnedImageOrAnExistingBuildContext() {
    services
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode spec = service.getValue();
              String name = service.getKey();
              if (spec.has("build")) {
                JsonNode build = spec.path("build");
                String context =
                    build.isTextual() ? build.asText() : build.path("context").asText();
                assertThat(ROOT.resolve(context)).as(name + " build context").isDirectory();
                String dockerfile = build.path("dockerfile").asText("Dockerfile");
                assertThat(ROOT.resolve(context).resolve(dockerfile))
                    .as(name + " Dockerfile")
                    .isRegularFile();
              } else {
                String image = spec.path("image").asText();
                assertThat(image).as(name + " image").matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+");
                assertThat(image).as(name + " image tag").doesNotEndWith(":latest");
              }
            });
  }

  @Test
  void shouldMountOnlyFilesThatExistOrThatAModuleOfTheBuildProduces() {
    List<String> missing = new ArrayList<>();
    Set<String> declaredVolumes = names(compose.path("volumes"));
    services
        .fields()
        .forEachRemaining(
            service -> {
              for (JsonNode volume : service.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (!source.startsWith(".") && !source.startsWith("/")) {
                  if (!declaredVolumes.contains(source)) {
                    missing.add(service.getKey() + ": undeclared volume " + source);
                  }
                  continue;
                }
                Path path = ROOT.resolve(source).normalize();
                if (!path.startsWith(ROOT)) {
                  missing.add(service.getKey() + ": outside the repository " + source);
                } else if (isBuildOutput(path)) {
                  // built by `mvn package`: its module must exist
                  Path module = ROOT.resolve(ROOT.relativize(path).getName(0));
                  if (!Files.isRegularFile(module.resolve("pom.xml"))) {
                    missing.add(service.getKey() + ": no module builds " + source);
                  }
                } else if (!Files.exists(path)) {
                  missing.add(service.getKey() + ": " + source);
                }
              }
            });
    assertThat(missing).as("mounted paths that do not exist").isEmpty();
  }

  @Test
  void shouldNotPublishTheSameHostPortTwice() {
    Map<String, String> owners = new HashMap<>();
    List<String> clashes = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              for (JsonNode port : service.getValue().path("ports")) {
                String[] parts = port.asText().split(":");
                String hostPort = parts.length == 3 ? parts[1] : parts[0];
                String previous = owners.putIfAbsent(hostPort, service.getKey());
                if (previous != null) {
                  clashes.add(hostPort + ": " + previous + " and " + service.getKey());
                }
              }
            });
    assertThat(clashes).isEmpty();
    assertThat(owners).containsKeys("8081", "5432", "29092", "9090", "3000", "9464");
  }

  @Test
  void shouldReadEveryVariableFromEnvExampleAndListNoUnusedOne() throws IOException {
    Set<String> referenced = new TreeSet<>();
    Matcher matcher = VARIABLE.matcher(composeText.replace("$$", ""));
    while (matcher.find()) {
      referenced.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
    }
    Map<String, String> provided = new TreeMap<>();
    for (String line : Files.readAllLines(ROOT.resolve(".env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] pair = line.split("=", 2);
        provided.put(pair[0].strip(), pair.length > 1 ? pair[1] : "");
      }
    }
    assertThat(referenced).contains("POSTGRES_PASSWORD");
    assertThat(provided.keySet()).as(".env.example").containsAll(referenced);
    assertThat(referenced).as("variables docker-compose.yml reads").containsAll(provided.keySet());
    assertThat(composeText).as("no literal password").doesNotContainPattern("(?i)password: [^$]");
  }

  @Test
  void shouldDependOnlyOnServicesThatCanSatisfyTheCondition() {
    List<String> problems = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              JsonNode dependsOn = service.getValue().path("depends_on");
              Map<String, String> targets = new LinkedHashMap<>();
              if (dependsOn.isArray()) {
                dependsOn.forEach(t -> targets.put(t.asText(), "service_started"));
              } else {
                dependsOn
                    .fields()
                    .forEachRemaining(
                        t -> targets.put(t.getKey(), t.getValue().path("condition").asText()));
              }
              targets.forEach(
                  (target, condition) -> {
                    JsonNode spec = services.path(target);
                    String edge = service.getKey() + " -> " + target + " (" + condition + ")";
                    if (spec.isMissingNode()) {
                      problems.add(edge + ": no such service");
                    } else if (condition.equals("service_healthy") && !spec.has("healthcheck")) {
                      problems.add(edge + ": target has no healthcheck");
                    } else if (condition.equals("service_completed_successfully")
                        && !"no".equals(spec.path("restart").asText("no"))) {
                      problems.add(edge + ": target restarts, it never completes");
                    } else if (!Set.of(
                            "service_started", "service_healthy", "service_completed_successfully")
                        .contains(condition)) {
                      problems.add(edge + ": unknown condition");
                    }
                  });
            });
    assertThat(problems).isEmpty();
  }

  @Test
  void shouldUseTheVersionsAndConfigurationOfTheBuild() throws IOException {
    String parentPom = Files.readString(ROOT.resolve("pom.xml"));
    String flinkMinor = property(parentPom, "flink.version").replaceAll("^(\\d+\\.\\d+).*", "$1");
    String kafkaVersion = property(parentPom, "kafka.version");
    for (String flinkService : List.of("jobmanager", "taskmanager", "jobs-submitter")) {
      assertThat(services.path(flinkService).path("image").asText())
          .as(flinkService)
          .startsWith("flink:" + flinkMinor);
    }
    for (String flinkNode : List.of("jobmanager", "taskmanager")) {
      assertThat(services.path(flinkNode).path("volumes").toString())
          .as(flinkNode + " runs on flink-conf/")
          .contains("./flink-conf:");
    }
    assertThat(services.path("kafka").path("image").asText())
        .isEqualTo("apache/kafka:" + kafkaVersion);
    assertThat(services.path("postgres").path("command").toString()).contains("wal_level=logical");
  }

  @Test
  void shouldCreateExactlyTheTopicCatalogueWithItsPartitionsAndPolicies() throws IOException {
    String script = Files.readString(ROOT.resolve("deploy/compose/create-topics.sh"));
    Map<String, String> created = new TreeMap<>();
    Matcher matcher = CREATE_TOPIC.matcher(script);
    while (matcher.find()) {
      Set<String> configs = new TreeSet<>(List.of(matcher.group(3).strip().split(" ")));
      configs.remove("");
      created.put(matcher.group(1), matcher.group(2) + configs);
    }
    Map<String, String> catalogue = new TreeMap<>();
    for (Topic<?, ?> topic : Topics.all()) {
      Set<String> configs = new TreeSet<>();
      topic.config().forEach((key, value) -> configs.add(key + "=" + value));
      catalogue.put(topic.name(), topic.partitions() + configs.toString());
    }
    assertThat(created).isEqualTo(catalogue);
    assertThat(catalogue.values()).allMatch(spec -> spec.startsWith("3["));
  }

  private static void assertRunsLocalStackJar(JsonNode service, String subcommand) {
    assertThat(service.path("image").asText()).startsWith("eclipse-temurin:17-");
    assertThat(service.path("volumes").toString())
        .contains("./local-stack/target/local-stack.jar:/opt/eda/local-stack.jar");
    List<String> command = new ArrayList<>();
    service.path("command").forEach(word -> command.add(word.asText()));
    assertThat(command).containsExactly("java", "-jar", "/opt/eda/local-stack.jar", subcommand);
  }

  /** Every variable the service sets is one the local-stack jar reads (no misspelt option). */
  private static void assertReadByTheLocalStackJar(JsonNode service) throws IOException {
    assertThat(localStackVariables(false)).containsAll(environment(service).keySet());
  }

  private static Set<String> requiredLocalStackVariables() throws IOException {
    return localStackVariables(true);
  }

  /** The {@code ${env:NAME}} defaults of the local-stack jar's options (only required ones). */
  private static Set<String> localStackVariables(boolean requiredOnly) throws IOException {
    Pattern option =
        Pattern.compile(
            // an option's arguments up to its field (no ';' in between) with an env default
            "@Option\\([^;]*?defaultValue = \"\\$\\{env:([A-Z0-9_]+)");
    Set<String> names = new TreeSet<>();
    List<Path> sources;
    try (var files = Files.walk(ROOT.resolve("local-stack/src/main/java"))) {
      sources = files.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path source : sources) {
      Matcher matcher = option.matcher(Files.readString(source));
      while (matcher.find()) {
        if (!requiredOnly || matcher.group().contains("required = true")) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new TreeMap<>();
    service
        .path("environment")
        .fields()
        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  private static Map<String, String> dependencies(JsonNode service) {
    Map<String, String> targets = new TreeMap<>();
    service
        .path("depends_on")
        .fields()
        .forEachRemaining(t -> targets.put(t.getKey(), t.getValue().path("condition").asText()));
    return targets;
  }

  /** A service's bind mounts of repository files: container path to file or directory. */
  private static Map<String, Path> mounts(String service) {
    Map<String, Path> mounts = new HashMap<>();
    for (JsonNode volume : services.path(service).path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts[0].startsWith(".")) {
        mounts.put(parts[1], ROOT.resolve(parts[0]).normalize());
      }
    }
    return mounts;
  }

  private static JsonNode yaml(Path file) throws IOException {
    return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
  }

  private static Properties properties(Path file) throws IOException {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties;
  }

  private static boolean isBuildOutput(Path path) {
    Path relative = ROOT.relativize(path);
    return relative.getNameCount() > 2 && relative.getName(1).toString().equals("target");
  }

  private static String property(String pom, String name) {
    Matcher matcher = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(matcher.find()).as(name + " in the parent pom").isTrue();
    return matcher.group(1).strip();
  }

  static Set<String> names(JsonNode mapping) {
    Set<String> names = new LinkedHashSet<>();
    mapping.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
