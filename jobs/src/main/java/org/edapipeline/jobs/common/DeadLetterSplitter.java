package org.edapipeline.jobs.common;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.edapipeline.outputs.DeadLetter;

/**
 * Sends the decoded events of a source on and its dead letters to {@link #DEAD_LETTERS}. Chained to
 * the source, so it costs a method call per record.
 *
 * @param <T> the event type
 */
public class DeadLetterSplitter<T> extends ProcessFunction<Sourced<T>, Sourced<T>> {
  private static final long serialVersionUID = 1L;

  /** Side output of the records that could not be decoded or were rejected. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  @Override
  public void processElement(Sourced<T> record, Context context, Collector<Sourced<T>> out) {
    if (record.decoded()) {
      out.collect(record);
    } else {
      context.output(DEAD_LETTERS, record.deadLetter);
    }
  }
}
