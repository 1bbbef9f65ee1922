package org.edapipeline.embedded.support;

/**
 * JVM shutdown hooks that stop a service whose owner forgot to close it (for example when the local
 * stack is ended with Ctrl-C), and that are removed again when the owner does close it.
 */
public final class ShutdownHooks {
  private ShutdownHooks() {}

  /** Registers {@code action} to run at JVM shutdown; returns the handle for {@link #remove}. */
  public static Thread register(String name, Runnable action) {
    Thread hook = new Thread(action, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  /** Removes a hook from {@link #register}; a no-op once the JVM is already shutting down. */
  public static void remove(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shutdownInProgress) {
      // The hook is running or about to run: nothing to remove.
    }
  }
}
