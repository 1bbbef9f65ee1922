package org.edapipeline.jobs.iot.functions;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.edapipeline.jobs.iot.records.ValidReading;

/**
 * Stamps each valid reading with its {@code measuredAt} as the record timestamp, forwarding
 * watermarks unchanged. Needed because readings held for their device's registration are emitted
 * from a timer, which stamps them with the timer's time; windows must see when they were measured.
 * Chained, so it costs a method call.
 */
public class MeasuredAtTimestamps extends AbstractStreamOperator<ValidReading>
    implements OneInputStreamOperator<ValidReading, ValidReading> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processElement(StreamRecord<ValidReading> element) {
    output.collect(element.replace(element.getValue(), element.getValue().measuredAt()));
  }
}
