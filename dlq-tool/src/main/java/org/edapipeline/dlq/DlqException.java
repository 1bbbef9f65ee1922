package org.edapipeline.dlq;

/**
 * A dlq command could not do what it was asked; the message says what and what state it left (e.g.
 * how far a replay's progress was committed). The CLI prints the message, not a stack trace.
 */
public class DlqException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DlqException(String message) {
    super(message);
  }

  public DlqException(String message, Throwable cause) {
    super(message, cause);
  }
}
