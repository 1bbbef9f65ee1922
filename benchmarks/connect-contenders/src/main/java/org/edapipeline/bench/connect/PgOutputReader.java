package org.edapipeline.bench.connect;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw CDC ceiling: PgJDBC's replication API on an existing {@code pgoutput} slot (protocol v1,
 * one publication), every outbox insert produced as our CDC service would ({@link
 * OutboxProducerRecords}), and the slot's flushed LSN advanced only after the producer's {@code
 * flush()} returned, i.e. after Kafka acknowledged every record before it (at least once, like
 * ours).
 *
 * <p>One thread reads, decodes and sends; it confirms when the stream is momentarily drained or at
 * least every {@link #CONFIRM_INTERVAL} (the interval at which our service commits its offsets).
 * Sends are never held back by a confirmation: the producer batches on its own ({@code linger.ms}).
 */
final class PgOutputReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PgOutputReader.class);

  /** How often acknowledged positions are confirmed to PostgreSQL while the stream is busy. */
  static final Duration CONFIRM_INTERVAL = Duration.ofSeconds(1);

  /** The outbox table of {@code V1__outbox.sql}. */
  static final String OUTBOX_SCHEMA = "public";

  static final String OUTBOX_TABLE = "outbox";

  private final Connection connection;
  private final PGReplicationStream stream;
  private final Producer<byte[], byte[]> producer;
  private final PgOutputDecoder decoder = new PgOutputDecoder(OUTBOX_SCHEMA, OUTBOX_TABLE);
  private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Throwable failure;

  private PgOutputReader(
      Connection connection, PGReplicationStream stream, Producer<byte[], byte[]> producer) {
    this.connection = connection;
    this.stream = stream;
    this.producer = producer;
    this.thread = new Thread(this::run, "pgoutput-reader");
  }

  /**
   * Connects to the slot and starts reading on a thread of its own.
   *
   * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
   * @param slot an existing logical replication slot of the {@code pgoutput} plugin
   * @param publication the publication of the outbox table
   * @param producerSettings the Kafka producer's settings ({@link ProducerSettings})
   */
  static PgOutputReader start(
      String jdbcUrl,
      String user,
      String password,
      String slot,
      String publication,
      Map<String, String> producerSettings)
      throws SQLException {
    Properties properties = new Properties();
    PGProperty.USER.set(properties, user);
    if (password != null) {
      PGProperty.PASSWORD.set(properties, password);
    }
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "14");
    PGProperty.REPLICATION.set(properties, "database");
    PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
    Connection connection = DriverManager.getConnection(jdbcUrl, properties);
    try {
      PGReplicationStream stream =
          connection
              .unwrap(PGConnection.class)
              .getReplicationAPI()
              .replicationStream()
              .logical()
              .withSlotName(slot)
              .withSlotOption("proto_version", 1)
              .withSlotOption("publication_names", publication)
              .withStatusInterval(10, TimeUnit.SECONDS)
              .start();
      Map<String, Object> config = new HashMap<>(producerSettings);
      config.put("key.serializer", ByteArraySerializer.class.getName());
      config.put("value.serializer", ByteArraySerializer.class.getName());
      PgOutputReader reader = new PgOutputReader(connection, stream, new KafkaProducer<>(config));
      reader.thread.start();
      return reader;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The error that stopped the reader, or null while it runs (or after a clean stop). */
  Throwable failure() {
    return failure;
  }

  private void run() {
    long pendingLsn = -1; // end of the last transaction fully sent but not yet confirmed
    long lastConfirm = System.nanoTime();
    try {
      while (!stopping) {
        ByteBuffer message = stream.readPending();
        if (message != null) {
          PgOutputDecoder.Decoded decoded = decoder.decode(message);
          if (decoded instanceof PgOutputDecoder.Insert insert) {
            producer.send(
                OutboxProducerRecords.of(insert.row()),
                (metadata, error) -> {
                  if (error != null) {
                    sendFailure.compareAndSet(null, error);
                  }
                });
          } else if (decoded instanceof PgOutputDecoder.Commit commit) {
            pendingLsn = commit.endLsn();
          }
        }
        boolean due = System.nanoTime() - lastConfirm > CONFIRM_INTERVAL.toNanos();
        if (pendingLsn >= 0 && (message == null || due)) {
          confirm(pendingLsn);
          pendingLsn = -1;
          lastConfirm = System.nanoTime();
        } else if (message == null) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // drained: wait for WAL
        }
      }
      if (pendingLsn >= 0) {
        confirm(pendingLsn);
      }
    } catch (Throwable e) {
      failure = e;
      LOG.error("The pgoutput reader stopped", e);
    }
  }

  /** Waits for Kafka's acknowledgement of everything sent, then moves the slot on. */
  private void confirm(long lsn) throws SQLException {
    producer.flush();
    Exception error = sendFailure.get();
    if (error != null) {
      throw new IllegalStateException("Kafka refused an outbox record; not confirming", error);
    }
    LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
    stream.setAppliedLSN(position);
    stream.setFlushedLSN(position);
    stream.forceUpdateStatus();
  }

  /** Stops reading, confirms what Kafka acknowledged, closes the stream and the producer. */
  @Override
  public void close() throws Exception {
    stopping = true;
    thread.join(TimeUnit.SECONDS.toMillis(30));
    try {
      stream.close();
    } finally {
      try {
        connection.close();
      } finally {
        producer.close(Duration.ofSeconds(10));
      }
    }
  }
}
