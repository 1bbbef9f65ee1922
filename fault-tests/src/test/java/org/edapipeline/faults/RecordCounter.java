package org.edapipeline.faults;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * A pass-through operator that counts its records in a metric ({@code recordsCounted}): the
 * operator the {@link Release#NEXT next release} adds, with a uid the savepoint does not know.
 */
final class RecordCounter<T> extends RichMapFunction<T, T> {
  private static final long serialVersionUID = 1L;
  private transient Counter counted;

  @Override
  public void open(OpenContext context) {
    counted = getRuntimeContext().getMetricGroup().counter("recordsCounted");
  }

  @Override
  public T map(T value) {
    counted.inc();
    return value;
  }
}
