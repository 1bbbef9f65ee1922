package org.edapipeline.jobs.common;

import java.util.Objects;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The constant uid and the human name of one operator. Jobs declare one constant per operator and
 * apply it where the operator is created, so no operator is left with a generated uid (which would
 * break restoring savepoints after a change of the graph).
 *
 * @param uid stable id mapping savepoint state to the operator; never change it once released
 * @param name what the web UI and the logs show
 */
public record NamedOperator(String uid, String name) {

  public NamedOperator {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(name, "name");
  }

  /** Sets this uid and name on {@code operator}. */
  public <T> SingleOutputStreamOperator<T> apply(SingleOutputStreamOperator<T> operator) {
    return operator.uid(uid).name(name);
  }

  /** Sets this uid and name on {@code sink}. */
  public <T> DataStreamSink<T> apply(DataStreamSink<T> sink) {
    return sink.uid(uid).name(name);
  }
}
