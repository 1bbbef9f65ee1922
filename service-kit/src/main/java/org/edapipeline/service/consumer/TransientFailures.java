package org.edapipeline.service.consumer;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.edapipeline.schemas.serde.FailureCategory;
import org.edapipeline.schemas.serde.WireFormatException;

/**
 * Tells failures that retrying can cure (the infrastructure was briefly unavailable) from the ones
 * it cannot. Transient failures are retried without limit and never dead-lettered: dead-lettering
 * every record during a database outage would empty the topic into its DLQ.
 */
final class TransientFailures {

  /**
   * SQLSTATEs of PostgreSQL that say "try again": serialization failure, deadlock, and the
   * operator-intervention codes of a terminated backend or a server shutting down or starting.
   */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300");

  /** SQLSTATE class 08: connection exception (connection lost, refused, failure). */
  private static final String CONNECTION_EXCEPTION_CLASS = "08";

  private TransientFailures() {}

  /** Whether {@code failure} or one of its causes is transient. */
  static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && isTransient(sql)) {
        return true;
      }
      if (t instanceof WireFormatException wire && wire.category() == FailureCategory.TRANSIENT) {
        return true;
      }
      if (t instanceof RetriableException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static boolean isTransient(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (next instanceof SQLTransientException || next instanceof SQLRecoverableException) {
        return true;
      }
      String state = next.getSQLState();
      if (state != null
          && (state.startsWith(CONNECTION_EXCEPTION_CLASS) || TRANSIENT_STATES.contains(state))) {
        return true;
      }
    }
    return false;
  }
}
