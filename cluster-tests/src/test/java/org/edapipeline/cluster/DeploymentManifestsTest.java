package org.edapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Flink Kubernetes Operator manifests of {@code deploy/k8s/} against the project: each job's
 * FlinkDeployment runs the jobs jar that the Dockerfile puts into the image, with the main class
 * the compose submitter uses, and with exactly the settings of {@code flink-conf/config.yaml}
 * (except what the operator sets itself: addresses, bind hosts and memory, which come from the pod
 * resources).
 */
class DeploymentManifestsTest {
  private static final Path ROOT = ComposeFileTest.ROOT;
  private static final Path K8S = ROOT.resolve("deploy/k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String JAR_IN_IMAGE = "/opt/flink/usrlib/eda-jobs.jar";

  /** Keys of config.yaml that the operator manages itself on Kubernetes. */
  private static final Set<String> OPERATOR_MANAGED =
      Set.of(
          "jobmanager.rpc.address",
          "jobmanager.bind-host",
          "taskmanager.bind-host",
          "rest.bind-address",
          "rest.address",
          "jobmanager.memory.process.size",
          "taskmanager.memory.process.size");

  @ParameterizedTest
  @CsvSource({
    "iot-aggregation.yaml, org.edapipeline.jobs.iot.IotAggregationJob",
    "saga-correlation.yaml, org.edapipeline.jobs.saga.SagaCorrelationJob"
  })
  void shouldRunTheJobFromTheImageWithSavepointUpgrades(String file, String entryClass)
      throws IOException {
    JsonNode deployment = YAML.readTree(K8S.resolve(file).toFile());

    assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
    assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
    JsonNode spec = deployment.path("spec");
    assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
    JsonNode job = spec.path("job");
    assertThat(job.path("entryClass").asText()).isEqualTo(entryClass);
    assertThat(job.path("jarURI").asText()).isEqualTo("local://" + JAR_IN_IMAGE);
    assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
    assertThat(job.path("args").toString())
        .contains("--kafka.bootstrap-servers", "--schema-registry.url");

    String dockerfile = Files.readString(K8S.resolve("Dockerfile"));
    assertThat(dockerfile)
        .as("the Dockerfile builds the image the deployment runs")
        .contains("-t " + spec.path("image").asText())
        .containsPattern("(?m)^FROM flink:2\\.2")
        .contains("jobs/target/eda-jobs.jar " + JAR_IN_IMAGE);
    assertThat(ROOT.resolve("jobs/pom.xml")).as("the module that builds the jar").isRegularFile();
  }

  @ParameterizedTest
  @CsvSource({"iot-aggregation.yaml", "saga-correlation.yaml"})
  void shouldUseTheSettingsOfFlinkConfYaml(String file) throws IOException {
    JsonNode spec = YAML.readTree(K8S.resolve(file).toFile()).path("spec");
    Map<String, String> config = FlinkConfigYaml.read(ROOT.resolve("flink-conf/config.yaml"));
    Map<String, String> expected = new TreeMap<>(config);
    expected.keySet().removeAll(OPERATOR_MANAGED);

    Map<String, String> actual = new TreeMap<>();
    spec.path("flinkConfiguration")
        .fields()
        .forEachRemaining(setting -> actual.put(setting.getKey(), setting.getValue().asText()));
    Map<String, String> kubernetesOnly =
        actual.entrySet().stream()
            .filter(setting -> !expected.containsKey(setting.getKey()))
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    actual.keySet().removeAll(kubernetesOnly.keySet());

    assertThat(actual).isEqualTo(expected);
    assertThat(kubernetesOnly.keySet()).allMatch(key -> key.startsWith("high-availability."));
    assertThat(spec.path("jobManager").path("resource").path("memory").asText())
        .isEqualTo(config.get("jobmanager.memory.process.size"));
    assertThat(spec.path("taskManager").path("resource").path("memory").asText())
        .isEqualTo(config.get("taskmanager.memory.process.size"));
    assertThat(spec.path("job").path("parallelism").asText())
        .isEqualTo(config.get("parallelism.default"));
  }

  @ParameterizedTest
  @CsvSource({"iot-aggregation.yaml", "saga-correlation.yaml"})
  void shouldMountTheSharedStorageWhereTheStateDirectoriesPoint(String file) throws IOException {
    JsonNode spec = YAML.readTree(K8S.resolve(file).toFile()).path("spec");
    JsonNode pod = spec.path("podTemplate").path("spec");
    String mountPath =
        pod.path("containers").path(0).path("volumeMounts").path(0).path("mountPath").asText();
    String claim =
        pod.path("volumes").path(0).path("persistentVolumeClaim").path("claimName").asText();

    Map<String, String> directories = new LinkedHashMap<>();
    spec.path("flinkConfiguration")
        .fields()
        .forEachRemaining(
            setting -> {
              if (setting.getValue().asText().startsWith("file://")) {
                directories.put(setting.getKey(), setting.getValue().asText());
              }
            });
    assertThat(directories).isNotEmpty();
    assertThat(directories.values()).allMatch(dir -> dir.startsWith("file://" + mountPath + "/"));

    JsonNode pvc = YAML.readTree(K8S.resolve("flink-data-pvc.yaml").toFile());
    assertThat(pvc.path("kind").asText()).isEqualTo("PersistentVolumeClaim");
    assertThat(pvc.path("metadata").path("name").asText()).isEqualTo(claim);
    assertThat(pvc.path("spec").path("accessModes").toString()).contains("ReadWriteMany");
  }

  @ParameterizedTest
  @CsvSource({
    "iot-aggregation.yaml, org.edapipeline.jobs.iot.IotAggregationJob",
    "saga-correlation.yaml, org.edapipeline.jobs.saga.SagaCorrelationJob"
  })
  void shouldRunTheSameMainClassWithTheSameOptionsAsTheComposeSubmitter(
      String file, String entryClass) throws IOException {
    // submit JOB_NAME MAIN_CLASS [JOB_OPTION...], after the submitter's common arguments
    List<List<String>> submissions =
        List.of(Files.readString(ROOT.resolve("deploy/compose/submit-jobs.sh")).split("\n"))
            .stream()
            .filter(line -> line.startsWith("submit "))
            .map(line -> List.of(line.strip().split("\\s+")))
            .filter(words -> words.size() >= 3 && words.get(2).equals(entryClass))
            .toList();
    assertThat(submissions).as("compose submits " + entryClass + " once").hasSize(1);
    List<String> jobOptions = submissions.get(0).subList(3, submissions.get(0).size());

    JsonNode job = YAML.readTree(K8S.resolve(file).toFile()).path("spec").path("job");
    assertThat(job.path("entryClass").asText()).isEqualTo(entryClass);
    assertThat(args(job))
        .as("the submitter's defaults for Kafka and the registry, then the same job options")
        .isEqualTo(
            Stream.concat(
                    Stream.of(
                        "--kafka.bootstrap-servers",
                        "kafka:9092",
                        "--schema-registry.url",
                        "http://schema-registry:8081"),
                    jobOptions.stream())
                .toList());
  }

  /** The program arguments of a FlinkDeployment's {@code spec.job}. */
  static List<String> args(JsonNode job) {
    List<String> args = new ArrayList<>();
    job.path("args").forEach(arg -> args.add(arg.asText()));
    return args;
  }
}
