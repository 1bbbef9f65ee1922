package org.edapipeline.jobs.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.edapipeline.jobs.common.JobConfigurationException;
import org.edapipeline.jobs.common.KafkaSources;
import org.edapipeline.jobs.common.NamedOperator;
import org.edapipeline.jobs.common.OperatorChains;
import org.edapipeline.schemas.Topics;
import org.junit.jupiter.api.Test;

class SagaTopologyTest {

  private static final String[] REQUIRED = {
    "--kafka.bootstrap-servers", "localhost:9092", "--schema-registry.url", "http://localhost:8081"
  };

  @Test
  void shouldGiveEveryOperatorItsConstantUidWithoutKryo() {
    SagaJobConfig config = SagaJobConfig.parse(REQUIRED);
    Configuration flink = new Configuration();
    flink.set(PipelineOptions.GENERIC_TYPES, false); // graph building fails on a Kryo type
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    SagaCorrelationJob.writeToKafka(
        SagaCorrelationJob.buildTopology(config, SagaCorrelationJob.fromKafka(env, config)),
        config.common());

    StreamGraph graph = env.getStreamGraph();
    List<String> uids = new ArrayList<>();
    for (StreamNode node : graph.getStreamNodes()) {
      assertThat(node.getTransformationUID())
          .as("uid of operator '%s'", node.getOperatorName())
          .isNotNull();
      uids.add(node.getTransformationUID());
    }
    Set<String> declared =
        Stream.concat(
                SagaCorrelationJob.INPUTS.stream()
                    .flatMap(
                        i ->
                            Stream.of(
                                i.source(),
                                i.split(),
                                KafkaSources.retryOperator(i.split()),
                                KafkaSources.retriedOperator(i.split()),
                                i.events(),
                                KafkaSources.retriedBranch(i.events()))),
                Stream.of(
                    SagaCorrelationJob.CORRELATION,
                    SagaCorrelationJob.STATE_SINK,
                    SagaCorrelationJob.COMMANDS_SINK,
                    SagaCorrelationJob.DLQ_METRICS,
                    SagaCorrelationJob.DLQ_SINK))
            .map(NamedOperator::uid)
            .collect(Collectors.toSet());
    assertThat(uids).doesNotHaveDuplicates();
    // A transactional sink adds a committer, whose uid Flink derives from the sink's uid.
    assertThat(uids)
        .allSatisfy(
            uid -> assertThat(declared).contains(uid.replaceFirst("^Sink Committer: ", "")));
    assertThat(uids).containsAll(declared);
    assertThat(SagaCorrelationJob.INPUTS)
        .extracting(SagaCorrelationJob.Input::topic)
        .containsExactlyElementsOf(Topics.outboxTopics());

    // The hot path of each input is one task: source -> split -> withOrigin, no serialization
    // (the retry stage and the retried branch's copy of the map chain to the split as well).
    for (SagaCorrelationJob.Input input : SagaCorrelationJob.INPUTS) {
      assertThat(OperatorChains.chainOf(graph, input.source().uid()))
          .as("operators chained with %s", input.source().uid())
          .startsWith(input.source().uid(), input.split().uid(), input.events().uid())
          .contains(KafkaSources.retriedBranch(input.events()).uid());
    }
  }

  @Test
  void shouldReadTheSagaOptionsOnceAndRefuseABadOneNamingItsKey() {
    SagaJobConfig config =
        SagaJobConfig.parse(
            concat(REQUIRED, "--saga.deadline.payment", "90 s", "--saga.retry.max-attempts", "5"));
    assertThat(config.settings().paymentDeadline()).hasSeconds(90);
    assertThat(config.settings().maxAttempts()).isEqualTo(5);
    assertThat(config.common().jobName()).isEqualTo(SagaCorrelationJob.JOB_NAME);

    assertThatThrownBy(
            () -> SagaJobConfig.parse(concat(REQUIRED, "--saga.retry.max-attempts", "0")))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageContaining("saga.retry.max-attempts");
    assertThatThrownBy(
            () ->
                SagaJobConfig.parse(
                    concat(REQUIRED, "--saga.retention", "8 d", "--saga.dedupe.ttl", "1 d")))
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageContaining("saga.dedupe.ttl");
    assertThatThrownBy(() -> SagaJobConfig.parse(concat(REQUIRED, "--dedupe.ttl", "1 d")))
        .as("the common dedupe TTL does not apply to the saga: refused, not ignored")
        .isInstanceOf(JobConfigurationException.class)
        .hasMessageContaining("dedupe.ttl");
  }

  private static String[] concat(String[] a, String... b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }
}
