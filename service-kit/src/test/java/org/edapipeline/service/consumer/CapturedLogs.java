package org.edapipeline.service.consumer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures the lines one class logs through log4j2, each with the logging context (MDC) it was
 * written with, until closed.
 */
final class CapturedLogs extends AbstractAppender implements AutoCloseable {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  /** One log line and the MDC it carried. */
  record Line(Level level, String message, Map<String, String> context) {}

  private final Logger logger;
  private final List<Line> lines = new CopyOnWriteArrayList<>();

  private CapturedLogs(Logger logger) {
    super("captured-" + SEQUENCE.incrementAndGet(), null, null, true, Property.EMPTY_ARRAY);
    this.logger = logger;
  }

  /** Starts capturing what {@code source}'s logger writes (at the configured level). */
  static CapturedLogs of(Class<?> source) {
    CapturedLogs captured = new CapturedLogs((Logger) LogManager.getLogger(source));
    captured.start();
    captured.logger.addAppender(captured);
    return captured;
  }

  @Override
  public void append(LogEvent event) {
    lines.add(
        new Line(
            event.getLevel(),
            event.getMessage().getFormattedMessage(),
            Map.copyOf(event.getContextData().toMap())));
  }

  /** The lines so far whose message contains {@code text}. */
  List<Line> containing(String text) {
    return lines.stream().filter(line -> line.message().contains(text)).toList();
  }

  @Override
  public void close() {
    logger.removeAppender(this);
    stop();
  }
}
