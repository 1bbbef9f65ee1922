package org.edapipeline.dlq.monitor;

import org.edapipeline.outputs.DlqDepthAlert;

/** Where {@link DlqMonitor} delivers the alerts it raises. */
@FunctionalInterface
public interface AlertSink {

  /** Delivers {@code alert} durably, or throws. */
  void publish(DlqDepthAlert alert) throws Exception;
}
