package org.edapipeline.cluster.fixturejob;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Counts each key in keyed state and emits {@code key=count} for every record. */
final class CountPerKey extends KeyedProcessFunction<String, String, String> {
  private static final long serialVersionUID = 1L;

  private transient ValueState<Long> count;

  @Override
  public void open(OpenContext context) {
    count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Long.class));
  }

  @Override
  public void processElement(String value, Context context, Collector<String> out)
      throws Exception {
    long next = (count.value() == null ? 0 : count.value()) + 1;
    count.update(next);
    out.collect(value + "=" + next);
  }
}
