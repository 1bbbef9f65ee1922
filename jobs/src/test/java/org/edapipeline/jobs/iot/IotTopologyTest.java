package org.edapipeline.jobs.iot;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.edapipeline.jobs.common.KafkaSources;
import org.edapipeline.jobs.common.NamedOperator;
import org.edapipeline.jobs.common.OperatorChains;
import org.junit.jupiter.api.Test;

/** The job's graph, built as {@code main()} builds it, without running it. */
class IotTopologyTest {

  @Test
  void shouldGiveEveryOperatorItsConstantUid() throws Exception {
    IotJobConfig config = IotTestData.config();
    Configuration flink = new Configuration();
    flink.set(PipelineOptions.GENERIC_TYPES, false); // graph building fails on a Kryo type
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            IotAggregationJob.readingsFromKafka(env, config),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());

    StreamGraph graph = env.getStreamGraph();
    List<String> uids = new ArrayList<>();
    for (StreamNode node : graph.getStreamNodes()) {
      assertThat(node.getTransformationUID())
          .as("uid of operator '%s'", node.getOperatorName())
          .isNotNull();
      uids.add(node.getTransformationUID());
    }
    Set<String> declared = declaredUids();
    assertThat(uids).doesNotHaveDuplicates();
    // A transactional sink adds a committer, whose uid Flink derives from the sink's uid.
    assertThat(uids)
        .allSatisfy(
            uid -> assertThat(declared).contains(uid.replaceFirst("^Sink Committer: ", "")));
    assertThat(uids).containsAll(declared);

    // The hot paths are one task each: no serialization between the source and its first steps.
    assertThat(OperatorChains.chainOf(graph, IotAggregationJob.READINGS_SOURCE.uid()))
        .startsWith(
            IotAggregationJob.READINGS_SOURCE.uid(), IotAggregationJob.READINGS_SPLIT.uid());
    assertThat(OperatorChains.chainOf(graph, IotAggregationJob.DEVICES_SOURCE.uid()))
        .startsWith(
            IotAggregationJob.DEVICES_SOURCE.uid(),
            IotAggregationJob.DEVICES_SPLIT.uid(),
            IotAggregationJob.DEVICE_UPDATES.uid());
  }

  @Test
  void shouldLeaveTheSlidingWindowsOutWhenDisabled() {
    assertThat(IotTestData.config().slidingEnabled()).isTrue();
    assertThat(uidsOf(IotTestData.config())).contains(IotAggregationJob.SLIDING.uid());

    IotJobConfig tumblingOnly = IotTestData.config("--iot.sliding.enabled", "false");
    assertThat(tumblingOnly.slidingEnabled()).isFalse();
    assertThat(uidsOf(tumblingOnly))
        .doesNotContain(IotAggregationJob.SLIDING.uid())
        .contains(IotAggregationJob.TUMBLING.uid(), IotAggregationJob.AGGREGATES_SINK.uid());
  }

  private static List<String> uidsOf(IotJobConfig config) {
    Configuration flink = new Configuration();
    flink.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    IotAggregationJob.writeToKafka(
        IotAggregationJob.buildTopology(
            config,
            IotAggregationJob.readingsFromKafka(env, config),
            IotAggregationJob.devicesFromKafka(env, config)),
        config.common());
    return env.getStreamGraph().getStreamNodes().stream()
        .map(StreamNode::getTransformationUID)
        .toList();
  }

  private static Set<String> declaredUids() throws IllegalAccessException {
    List<String> uids = new ArrayList<>();
    for (Field field : IotAggregationJob.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == NamedOperator.class) {
        uids.add(((NamedOperator) field.get(null)).uid());
      }
    }
    for (NamedOperator split :
        List.of(IotAggregationJob.READINGS_SPLIT, IotAggregationJob.DEVICES_SPLIT)) {
      uids.add(KafkaSources.retryOperator(split).uid());
      uids.add(KafkaSources.retriedOperator(split).uid());
    }
    uids.add(KafkaSources.retriedBranch(IotAggregationJob.DEVICE_UPDATES).uid());
    return uids.stream().collect(Collectors.toSet());
  }
}
