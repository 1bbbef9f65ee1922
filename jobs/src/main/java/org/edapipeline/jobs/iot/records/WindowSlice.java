package org.edapipeline.jobs.iot.records;

/**
 * The result of one tumbling window of one device's sensor: its statistics and revision (0 first,
 * then one more per correction), and what alerting needs. Becomes a TUMBLING {@code
 * WindowAggregate}, feeds the sliding windows as a pre-aggregated slice, and the threshold alerts.
 */
public class WindowSlice {
  public String deviceId;
  public String sensorType;
  public String unit;
  public long windowStart;
  public long windowEnd;
  public WindowStats stats;
  public int revision;
  public Double alertBelow;
  public Double alertAbove;

  /** For Flink's POJO serializer. */
  public WindowSlice() {}

  /** The threshold the window's mean crossed, or null if none. */
  public Double breachedThreshold() {
    double mean = stats.mean();
    if (alertAbove != null && mean > alertAbove) {
      return alertAbove;
    }
    if (alertBelow != null && mean < alertBelow) {
      return alertBelow;
    }
    return null;
  }
}
