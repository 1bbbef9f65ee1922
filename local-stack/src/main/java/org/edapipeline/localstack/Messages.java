package org.edapipeline.localstack;

/** Error text for people: an exception with what it was caused by, without a stack trace. */
final class Messages {

  private Messages() {}

  static String withRootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.toString() : e.getMessage() + " (" + root + ")";
  }
}
