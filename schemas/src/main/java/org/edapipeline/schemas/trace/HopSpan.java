package org.edapipeline.schemas.trace;

/**
 * One span of a hop, started by {@link Tracing#start}; {@link #end()} it exactly once (it is {@link
 * AutoCloseable} for try-with-resources). When tracing is off every method does nothing.
 */
public interface HopSpan extends AutoCloseable {

  /** A span that records nothing: what {@link Tracing#disabled()} hands out. */
  HopSpan NOOP =
      new HopSpan() {
        @Override
        public HopSpan attribute(String key, String value) {
          return this;
        }

        @Override
        public void failed(Throwable error) {}

        @Override
        public void end() {}
      };

  /** Adds a string attribute (ignored if {@code value} is null); returns this span. */
  HopSpan attribute(String key, String value);

  /** Marks the span as failed with {@code error} (status ERROR and an exception event). */
  void failed(Throwable error);

  /** Ends the span: it is exported from then on. */
  void end();

  @Override
  default void close() {
    end();
  }
}
