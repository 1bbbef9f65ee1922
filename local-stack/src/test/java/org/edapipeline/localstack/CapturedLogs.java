package org.edapipeline.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log line of this JVM at INFO and above, from every logger (Kafka's clients and broker,
 * Debezium, Flink, the services), rendered with its stack trace and the messages of all causes, and
 * checked against a list of secrets as it is logged. While it is installed the root logger is at
 * INFO; the console keeps its WARN threshold, so the test's output does not grow.
 */
final class CapturedLogs implements AutoCloseable {

  private static final String NAME = "secret-scan";

  private final List<String> secrets;
  private final LoggerContext context;
  private final Scanner scanner;
  private final Level rootLevel;
  private final List<Appender> rootAppenders = new ArrayList<>();

  private CapturedLogs(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
    this.context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    LoggerConfig root = configuration.getRootLogger();
    this.rootLevel = root.getLevel();
    this.scanner = new Scanner(this.secrets);
    scanner.start();
    configuration.addAppender(scanner);
    // The console stays at its old threshold; the scanner sees everything from INFO.
    root.getAppenders()
        .values()
        .forEach(
            appender -> {
              rootAppenders.add(appender);
              root.removeAppender(appender.getName());
              root.addAppender(appender, rootLevel, null);
            });
    root.addAppender(scanner, Level.INFO, null);
    root.setLevel(Level.INFO);
    context.updateLoggers();
  }

  /** Starts capturing; {@link #close()} restores the logging configuration. */
  static CapturedLogs scanningFor(List<String> secrets) {
    return new CapturedLogs(secrets);
  }

  /** How many log events were seen. */
  long events() {
    return scanner.events.get();
  }

  /** Whether a line containing {@code text} was logged (to prove the capture works). */
  boolean sawLineContaining(String text) {
    return scanner.markers.stream().anyMatch(line -> line.contains(text));
  }

  /** Remembers lines containing {@code text}, for {@link #sawLineContaining}. */
  void watchFor(String text) {
    scanner.watched.add(text);
  }

  /** The lines (with stack traces) that contained a secret, the secret itself masked. */
  List<String> linesWithSecrets() {
    return List.copyOf(scanner.leaks);
  }

  @Override
  public void close() {
    Configuration configuration = context.getConfiguration();
    LoggerConfig root = configuration.getRootLogger();
    root.removeAppender(NAME);
    for (Appender appender : rootAppenders) {
      root.removeAppender(appender.getName());
      root.addAppender(appender, null, null);
    }
    root.setLevel(rootLevel);
    context.updateLoggers();
    scanner.stop();
  }

  private static final class Scanner extends AbstractAppender {
    private final List<String> secrets;
    private final PatternLayout layout;
    private final AtomicLong events = new AtomicLong();
    private final Queue<String> leaks = new ConcurrentLinkedQueue<>();
    private final Queue<String> watched = new ConcurrentLinkedQueue<>();
    private final Queue<String> markers = new ConcurrentLinkedQueue<>();

    Scanner(List<String> secrets) {
      super(NAME, null, null, true, Property.EMPTY_ARRAY);
      this.secrets = secrets;
      // Message, logger, thread, and the full stack trace with every cause's message.
      this.layout = PatternLayout.newBuilder().withPattern("%c [%t] %m%n%xThrowable").build();
    }

    @Override
    public void append(LogEvent event) {
      events.incrementAndGet();
      String line = layout.toSerializable(event);
      for (String secret : secrets) {
        if (line.contains(secret)) {
          leaks.add(line.replace(secret, "<SECRET>"));
        }
      }
      for (String text : watched) {
        if (line.contains(text)) {
          markers.add(line);
        }
      }
    }
  }
}
