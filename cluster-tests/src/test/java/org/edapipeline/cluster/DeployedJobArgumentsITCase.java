package org.edapipeline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The program arguments that {@code deploy/k8s/} (and so, by {@link DeploymentManifestsTest}, the
 * compose submitter) gives each job are accepted by that job's own option parser, loaded from the
 * shaded {@code jobs/target/eda-jobs.jar} the deployments run: no unknown key, no unparsable value
 * reaches a cluster. An integration test because it needs the packaged jar.
 */
class DeployedJobArgumentsITCase {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static URLClassLoader jobsJar;

  @BeforeAll
  static void loadTheJobsJar() throws Exception {
    assertThat(JobsClusterSubmissionITCase.JOBS_JAR)
        .as("the shaded jobs jar; the jobs module builds it before this module")
        .isRegularFile();
    jobsJar =
        new ChildFirstJarLoader(
            JobsClusterSubmissionITCase.JOBS_JAR,
            DeployedJobArgumentsITCase.class.getClassLoader());
  }

  @AfterAll
  static void closeTheJobsJar() throws Exception {
    if (jobsJar != null) {
      jobsJar.close();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "iot-aggregation.yaml, org.edapipeline.jobs.iot.IotJobConfig, --iot.",
    "saga-correlation.yaml, org.edapipeline.jobs.saga.SagaJobConfig, --saga."
  })
  void shouldGiveEachJobOnlyOptionsItsParserAccepts(
      String file, String configClass, String ownOptionPrefix) throws Exception {
    List<String> args =
        DeploymentManifestsTest.args(
            YAML.readTree(ComposeFileTest.ROOT.resolve("deploy/k8s").resolve(file).toFile())
                .path("spec")
                .path("job"));
    Method parse = jobsJar.loadClass(configClass).getMethod("parse", String[].class);

    assertThat(parse.invoke(null, (Object) args.toArray(String[]::new))).isNotNull();
    if (ownOptionPrefix.equals("--saga.")) {
      assertThat(args).as("the saga job's own options").anyMatch(a -> a.startsWith("--saga."));
    }
    // The parser is strict: the same arguments with one unknown key fail, naming it.
    String unknownKey = ownOptionPrefix + "no-such-option";
    List<String> withUnknownKey = new ArrayList<>(args);
    withUnknownKey.addAll(List.of(unknownKey, "1"));
    assertThatThrownBy(() -> parse.invoke(null, (Object) withUnknownKey.toArray(String[]::new)))
        .isInstanceOf(InvocationTargetException.class)
        .cause()
        .hasMessageContaining(unknownKey.substring(2))
        .extracting(e -> e.getClass().getSimpleName())
        .isEqualTo("JobConfigurationException");
  }
}
