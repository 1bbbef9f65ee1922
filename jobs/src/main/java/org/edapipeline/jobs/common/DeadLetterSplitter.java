package org.edapipeline.jobs.common;

import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.edapipeline.outputs.DeadLetter;
import org.edapipeline.outputs.ErrorCategory;

/**
 * Sends the decoded events of a source on and its dead letters to {@link #DEAD_LETTERS}; with a
 * retry tag, records whose decoding failed transiently go there instead, to be retried. Chained to
 * the source, so it costs a method call per record.
 *
 * @param <T> the event type
 */
public class DeadLetterSplitter<T> extends ProcessFunction<Sourced<T>, Sourced<T>> {
  private static final long serialVersionUID = 1L;

  /** Side output of the records that could not be decoded or were rejected. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

  private final OutputTag<Sourced<T>> retries;

  /** Without retries: every failure is a dead letter. */
  public DeadLetterSplitter() {
    this(null);
  }

  /**
   * @param retries side output of the records that failed transiently; null for none
   */
  public DeadLetterSplitter(OutputTag<Sourced<T>> retries) {
    this.retries = retries;
  }

  @Override
  public void processElement(Sourced<T> record, Context context, Collector<Sourced<T>> out) {
    if (record.decoded()) {
      out.collect(record);
    } else if (retries != null && record.deadLetter.getErrorCategory() == ErrorCategory.TRANSIENT) {
      context.output(retries, record);
    } else {
      context.output(DEAD_LETTERS, record.deadLetter);
    }
  }
}
