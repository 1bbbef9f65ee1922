package org.edapipeline.jobs.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.graph.StreamGraph;

/** The tasks a job's graph becomes: which operators Flink chains into one task. */
public final class OperatorChains {

  private OperatorChains() {}

  /**
   * The uids of the operators chained with the operator {@code uid}, in chain order (head first).
   */
  public static List<String> chainOf(StreamGraph streamGraph, String uid) {
    JobGraph graph = streamGraph.getJobGraph();
    for (JobVertex vertex : graph.getVertices()) {
      // Flink lists a chain's operators tail first.
      List<String> uids =
          vertex.getOperatorIDs().stream().map(OperatorIDPair::getUserDefinedOperatorUid).toList();
      if (uids.contains(uid)) {
        List<String> headFirst = new ArrayList<>(uids);
        Collections.reverse(headFirst);
        return headFirst;
      }
    }
    throw new AssertionError("No task holds the operator " + uid);
  }
}
