package org.edapipeline.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.events.EventMetadata;
import org.edapipeline.service.outbox.OutboxWriter;

/**
 * Services writing events through {@link OutboxWriter} from several threads, one or two events of
 * one aggregate per transaction, every tenth transaction rolled back. Remembers which events were
 * committed, rolled back, or in doubt (the commit call failed, e.g. PostgreSQL went away).
 */
final class OutboxLoad {

  /** An event that was written, with its aggregate and commit-order sequence number. */
  record Written(String eventId, String aggregateType, String aggregateId, long sequence) {}

  private final DataSource dataSource;
  private final OutboxWriter writer;
  private final String run;
  private final List<String[]> aggregates = new ArrayList<>();
  final Set<Written> committed = ConcurrentHashMap.newKeySet();
  final Set<String> rolledBack = ConcurrentHashMap.newKeySet();
  final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
  final Map<String, Long> failures = new ConcurrentHashMap<>();

  OutboxLoad(DataSource dataSource, OutboxWriter writer, String run, int aggregateCount) {
    this.dataSource = dataSource;
    this.writer = writer;
    this.run = run;
    for (int i = 0; i < aggregateCount; i++) {
      String type = i % 2 == 0 ? "order" : "payment";
      aggregates.add(new String[] {type, run + "-" + type + "-" + i});
    }
  }

  /** Writes {@code transactions} transactions from {@code threads} threads; returns when done. */
  void write(int threads, int transactions) throws Exception {
    AtomicBoolean never = new AtomicBoolean(false);
    run(threads, transactions, never);
  }

  /**
   * Writes until {@code stop} is set or {@code maxTransactions} were attempted, carrying on after
   * failures; for a background thread.
   */
  void writeUntil(int threads, AtomicBoolean stop, int maxTransactions) throws Exception {
    run(threads, maxTransactions, stop);
  }

  private void run(int threads, int transactions, AtomicBoolean stop) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int share = transactions / threads + (t < transactions % threads ? 1 : 0);
        done.add(
            pool.submit(
                () -> {
                  Connection connection = null;
                  try {
                    for (int i = 0; i < share && !stop.get(); i++) {
                      if (connection == null) {
                        connection = connect();
                      }
                      if (connection != null && !transaction(connection, i % 10 == 9)) {
                        close(connection); // broken (e.g. PostgreSQL restarted): reconnect
                        connection = null;
                      }
                    }
                  } finally {
                    close(connection);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private Connection connect() {
    try {
      Connection connection = dataSource.getConnection();
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException e) {
      failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
      return null;
    }
  }

  private static void close(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // already broken
      }
    }
  }

  /** One transaction on the thread's connection; false if the connection failed. */
  private boolean transaction(Connection connection, boolean rollback) {
    String[] aggregate = aggregates.get(ThreadLocalRandom.current().nextInt(aggregates.size()));
    int events = 1 + ThreadLocalRandom.current().nextInt(2);
    List<Written> written = new ArrayList<>(events);
    try {
      List<SpecificRecord> batch = new ArrayList<>(events);
      for (int e = 0; e < events; e++) {
        long sequence = CdcTestSupport.nextSequence(connection, aggregate[1]);
        SpecificRecord event = CdcTestSupport.event(aggregate[0], aggregate[1], sequence, run);
        EventMetadata metadata = (EventMetadata) event.get(0);
        written.add(
            new Written(metadata.getEventId().toString(), aggregate[0], aggregate[1], sequence));
        batch.add(event);
      }
      writer.writeAll(connection, batch);
      if (rollback) {
        connection.rollback();
        written.forEach(w -> rolledBack.add(w.eventId()));
        return true;
      }
      try {
        connection.commit();
      } catch (SQLException e) {
        written.forEach(w -> inDoubt.add(w.eventId()));
        failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        return false;
      }
      committed.addAll(written);
      return true;
    } catch (SQLException | RuntimeException e) {
      // Failed before commit (e.g. PostgreSQL restarting): nothing was committed.
      failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
      try {
        connection.rollback();
        return true;
      } catch (SQLException broken) {
        return false;
      }
    }
  }

  List<Written> committed() {
    return Collections.unmodifiableList(new ArrayList<>(committed));
  }
}
