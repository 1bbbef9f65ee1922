package org.edapipeline.jobs.iot.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.edapipeline.events.iot.SensorReadingRecorded;
import org.edapipeline.jobs.iot.records.ValidReading;

/**
 * Forwards readings that came after their window's allowed lateness, unchanged (decoded again from
 * {@link ValidReading#encoded}), to {@code iot.late}, counting them in {@value
 * #LATE_READINGS_METRIC}.
 */
public class LateReadingCounter extends ProcessFunction<ValidReading, SensorReadingRecorded> {
  private static final long serialVersionUID = 1L;

  /** Name of the counter of readings too late to be aggregated. */
  public static final String LATE_READINGS_METRIC = "numLateReadings";

  private transient Counter late;

  @Override
  public void open(OpenContext openContext) {
    late = getRuntimeContext().getMetricGroup().counter(LATE_READINGS_METRIC);
  }

  @Override
  public void processElement(
      ValidReading reading, Context ctx, Collector<SensorReadingRecorded> out) {
    late.inc();
    out.collect(reading.reading());
  }
}
