package org.edapipeline.jobs.iot.records;

/** Consecutive tumbling windows of one sensor whose mean breached a threshold. */
public class BreachRun {
  public long firstWindowStart;
  public long lastWindowEnd;
  public int windows;
  public boolean alerted;

  /** For Flink's POJO serializer. */
  public BreachRun() {}
}
