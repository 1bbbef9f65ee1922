package org.edapipeline.bench.harness;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * When a run is complete, judged from the committed output records one at a time (by {@link
 * OutputCounter}). Not thread-safe: one counter feeds it.
 */
public interface Completion {

  /** Takes one committed output record. */
  void accept(ConsumerRecord<byte[], byte[]> record);

  /** Whether every expected output has been seen. */
  boolean complete();

  /** Progress for logs and error messages, e.g. {@code 1200/1500 records}. */
  String progress();

  /** Complete once {@code expected} records have been seen, whatever they are. */
  static Completion records(long expected) {
    return new Completion() {
      private long seen;

      @Override
      public void accept(ConsumerRecord<byte[], byte[]> record) {
        seen++;
      }

      @Override
      public boolean complete() {
        return seen >= expected;
      }

      @Override
      public String progress() {
        return seen + "/" + expected + " records";
      }
    };
  }

  /**
   * Complete once {@code expected} distinct keys have reached a terminal value; {@code terminalKey}
   * gives a record's key when its value is terminal, else {@code null}.
   */
  static Completion distinctTerminalKeys(
      long expected, Function<ConsumerRecord<byte[], byte[]>, String> terminalKey) {
    return new Completion() {
      private final Set<String> done = new HashSet<>();

      @Override
      public void accept(ConsumerRecord<byte[], byte[]> record) {
        String key = terminalKey.apply(record);
        if (key != null) {
          done.add(key);
        }
      }

      @Override
      public boolean complete() {
        return done.size() >= expected;
      }

      @Override
      public String progress() {
        return done.size() + "/" + expected + " keys terminal";
      }
    };
  }
}
