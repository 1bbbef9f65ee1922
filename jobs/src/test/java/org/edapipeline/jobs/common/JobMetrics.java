package org.edapipeline.jobs.common;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.OperatorMetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** A running job's metrics as an in-memory reporter (with retained metrics) sees them. */
public final class JobMetrics {

  private JobMetrics() {}

  /**
   * The sum of counter {@code name} over every subtask of operator {@code operatorName}, over every
   * attempt of the job: the metrics of tasks replaced by a restart are retained, so a record
   * counted once before a failure and once after is counted twice.
   */
  public static long counter(
      InMemoryReporter reporter, JobID job, String operatorName, String name) {
    List<OperatorMetricGroup> groups =
        reporter.findOperatorMetricGroups(job, Pattern.quote(operatorName));
    long sum = 0;
    boolean found = false;
    for (OperatorMetricGroup group : groups) {
      Metric metric = reporter.getMetricsByGroup(group).get(name);
      if (metric instanceof Counter counter) {
        sum += counter.getCount();
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError("No counter " + name + " of operator " + operatorName);
    }
    return sum;
  }

  /** How often the job restarted ({@code numRestarts}, on the JobManager). */
  public static long numRestarts(InMemoryReporter reporter, JobID job) {
    return gauge(reporter, job, "numRestarts");
  }

  /** A job-level gauge of the JobManager, e.g. {@code numberOfCompletedCheckpoints}. */
  public static long gauge(InMemoryReporter reporter, JobID job, String name) {
    List<Tuple3<MetricGroup, String, Metric>> found = reporter.findJobMetricGroups(job, name);
    if (found.isEmpty()) {
      throw new AssertionError("No metric " + name + " for job " + job);
    }
    return found.stream()
        .mapToLong(m -> ((Number) ((Gauge<?>) m.f2).getValue()).longValue())
        .max()
        .orElseThrow();
  }
}
