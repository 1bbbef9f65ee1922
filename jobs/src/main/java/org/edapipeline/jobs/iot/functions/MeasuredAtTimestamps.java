package org.edapipeline.jobs.iot.functions;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.edapipeline.jobs.iot.records.ValidReading;

/**
 * Stamps each valid reading with its {@code measuredAt} as the record timestamp, forwarding
 * watermarks unchanged. Needed because readings held for their device's registration are emitted
 * from a timer, which stamps them with the timer's time; windows must see when they were measured.
 * Chained, so it costs a method call.
 *
 * <p><b>Never idle downstream.</b> It does not forward idleness: after every input partition has
 * been idle, Flink sends the next records while the channels are still marked idle (a source marks
 * them active with its next watermark, after the records), and an operator fed by several subtasks
 * ignores idle channels, so the watermark another subtask forwards can overtake those records and
 * make them late. Idleness is only needed at the sources, where a silent partition must not hold
 * the watermark back; after the keyed shuffles every subtask of an operator receives every upstream
 * watermark, so keeping their channels active costs nothing and keeps records ahead of the
 * watermarks that follow them.
 */
public class MeasuredAtTimestamps extends AbstractStreamOperator<ValidReading>
    implements OneInputStreamOperator<ValidReading, ValidReading> {
  private static final long serialVersionUID = 1L;

  @Override
  public void processWatermarkStatus(WatermarkStatus status) {}

  @Override
  public void processElement(StreamRecord<ValidReading> element) {
    output.collect(element.replace(element.getValue(), element.getValue().measuredAt()));
  }
}
