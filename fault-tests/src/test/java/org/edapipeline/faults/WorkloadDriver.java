package org.edapipeline.faults;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.edapipeline.faults.Workload.Produced;
import org.edapipeline.faults.Workload.ServiceTransaction;
import org.edapipeline.schemas.Topics;
import org.edapipeline.schemas.registry.SchemaRegistryClient;
import org.edapipeline.schemas.serde.AvroWireSerializer;
import org.edapipeline.schemas.serde.TopicNameStrategy;
import org.edapipeline.schemas.serde.TopicRecordNameStrategy;
import org.edapipeline.service.outbox.OutboxWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a {@link Workload} into the pipeline as its producers would, paced over a given duration
 * so that faults hit mid-stream: the services' transactions through {@link OutboxWriter} into
 * PostgreSQL, the devices' registrations and readings to Kafka with an idempotent producer.
 *
 * <p>Writes are paced by a {@link Pacing}: evenly at the normal rate, or a lead at the normal rate
 * followed by a burst, with several service writers so that the burst's rate is really offered.
 *
 * <p>Like a real service it rides out outages: a transaction that fails (PostgreSQL down) is rolled
 * back and written again on a new connection until it commits, and the producer retries for as long
 * as its delivery timeout. A commit whose outcome is unknown may be written twice; the events keep
 * their ids, so the pipeline's dedupe must drop the copy.
 */
final class WorkloadDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadDriver.class);
  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private final DataSource database;
  private final OutboxWriter outbox;
  private final KafkaProducer<String, byte[]> producer;
  private final AvroWireSerializer<SpecificRecord> readingSerializer;
  private final AvroWireSerializer<SpecificRecord> deviceSerializer;

  /** At most this many service writers run at once (the burst needs several). */
  static final int MAX_WRITERS = 4;

  private final ExecutorService servicesExecutor =
      Executors.newFixedThreadPool(MAX_WRITERS, r -> new Thread(r, "fault-workload-services"));
  private final ExecutorService devicesExecutor =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "fault-workload-devices"));
  private final AtomicInteger stepsDone = new AtomicInteger();
  private final AtomicLong rewrittenTransactions = new AtomicLong();
  private final Map<String, Long> inputCommittedAt = new ConcurrentHashMap<>();
  private volatile int steps = 1;
  private volatile double mainPhaseShare;
  private volatile OfferedRate offered = new OfferedRate(0, 0);

  WorkloadDriver(DataSource database, SchemaRegistryClient registry, Map<String, Object> kafka) {
    this.database = database;
    this.outbox = OutboxWriter.builder(registry).build();
    this.readingSerializer =
        AvroWireSerializer.builder(registry).subjectNameStrategy(new TopicNameStrategy()).build();
    this.deviceSerializer =
        AvroWireSerializer.builder(registry)
            .subjectNameStrategy(new TopicRecordNameStrategy())
            .build();
    Map<String, Object> config = new java.util.HashMap<>(kafka);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Long enough to ride out a broker restart and a slow recovery on a loaded machine.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    this.producer = new KafkaProducer<>(config);
  }

  /**
   * How a run's writes are spread in time: the first {@code leadShare} of the services' outbox
   * events (and of the readings) over {@code lead}, the rest over {@code main}, each phase at a
   * constant rate of events, by up to {@code writers} service writers at once.
   */
  record Pacing(Duration lead, double leadShare, Duration main, int writers) {
    Pacing {
      if (writers < 1 || writers > MAX_WRITERS) {
        throw new IllegalArgumentException("writers must be in [1, " + MAX_WRITERS + "]");
      }
    }

    /** Everything evenly over {@code duration}, one writer: the normal rate. */
    static Pacing even(Duration duration) {
      return new Pacing(Duration.ZERO, 0, duration, 1);
    }

    /** The schedule of steps whose events are {@code cumulative[i]} before step {@code i}. */
    Schedule schedule(long[] cumulative) {
      int steps = cumulative.length - 1;
      long total = cumulative[steps];
      int firstMain = 0;
      while (firstMain < steps && cumulative[firstMain] < Math.round(leadShare * total)) {
        firstMain++;
      }
      return new Schedule(this, cumulative, firstMain);
    }
  }

  /**
   * When each step of a run is due.
   *
   * @param cumulative events before each step (one more entry than steps: the total)
   * @param firstMain the first step of the main phase
   */
  record Schedule(Pacing pacing, long[] cumulative, int firstMain) {
    /** When step {@code i} is due, in nanoseconds after the start. */
    long dueNanos(int i) {
      long lead = pacing.lead().toNanos();
      long total = cumulative[cumulative.length - 1];
      long leadEvents = cumulative[firstMain];
      if (i < firstMain) {
        return (long) ((double) lead * cumulative[i] / Math.max(1, leadEvents));
      }
      return lead
          + (long)
              ((double) pacing.main().toNanos()
                  * (cumulative[i] - leadEvents)
                  / Math.max(1, total - leadEvents));
    }

    /** The phase of step {@code i}: 0 the lead, 1 the main phase. */
    int phase(int i) {
      return i < firstMain ? 0 : 1;
    }
  }

  /**
   * The rate actually offered to the pipeline (outbox events committed and readings sent per
   * second) in each phase of a run's {@link Pacing}: events of the phase divided by the time from
   * the phase's scheduled start to its last write. {@code NaN} for a phase without writes.
   */
  record OfferedRate(double leadPerSecond, double mainPerSecond) {}

  /** What a run's writers count, per phase. */
  private static final class PhaseCounts {
    final long startNanos;
    final long[] phaseStartNanos;
    final AtomicLong[] events = {new AtomicLong(), new AtomicLong()};
    final AtomicLong[] lastNanos = {new AtomicLong(), new AtomicLong()};

    PhaseCounts(long startNanos, Pacing pacing) {
      this.startNanos = startNanos;
      this.phaseStartNanos = new long[] {startNanos, startNanos + pacing.lead().toNanos()};
    }

    void add(int phase, long count) {
      events[phase].addAndGet(count);
      lastNanos[phase].accumulateAndGet(System.nanoTime(), Math::max);
    }

    OfferedRate rate() {
      return new OfferedRate(perSecond(0), perSecond(1));
    }

    private double perSecond(int phase) {
      long nanos = lastNanos[phase].get() - phaseStartNanos[phase];
      return events[phase].get() == 0 || nanos <= 0
          ? Double.NaN
          : events[phase].get() * 1e9 / nanos;
    }
  }

  /**
   * Starts writing {@code workload} in the background, paced as {@code pacing} says.
   *
   * @return completes when everything is committed and acknowledged
   */
  CompletableFuture<Void> start(Workload workload, Pacing pacing) {
    List<ServiceTransaction> transactions = workload.transactions();
    int count = transactions.size();
    steps = count;
    stepsDone.set(0);
    long startNanos = System.nanoTime();
    PhaseCounts counts = new PhaseCounts(startNanos, pacing);
    long[] cumulative = new long[count + 1];
    for (int i = 0; i < count; i++) {
      cumulative[i + 1] = cumulative[i] + transactions.get(i).events().size();
    }
    Schedule schedule = pacing.schedule(cumulative);
    mainPhaseShare = (double) schedule.firstMain() / Math.max(1, count);
    // A batch of orders is written in order by one writer (the order service last); batches may
    // be written concurrently by several writers when one cannot keep the pace.
    List<int[]> groups = new ArrayList<>();
    for (int from = 0, i = 0; i < count; i++) {
      if (transactions.get(i).endsGroup() || i == count - 1) {
        groups.add(new int[] {from, i + 1});
        from = i + 1;
      }
    }
    AtomicInteger nextGroup = new AtomicInteger();
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < pacing.writers(); w++) {
      // Producers of their own, like the services and the devices: none waits for the other, so
      // the services go on committing while Kafka is down (the CDC service then falls behind).
      writers.add(
          CompletableFuture.runAsync(
              () ->
                  uninterrupted(
                      () -> {
                        try (WriterConnection held = new WriterConnection()) {
                          for (int g; (g = nextGroup.getAndIncrement()) < groups.size(); ) {
                            int[] group = groups.get(g);
                            pace(startNanos + schedule.dueNanos(group[0]));
                            for (int i = group[0]; i < group[1]; i++) {
                              ServiceTransaction transaction = transactions.get(i);
                              commit(transaction, held);
                              long at = System.currentTimeMillis();
                              transaction
                                  .orderIds()
                                  .forEach(id -> inputCommittedAt.merge(id, at, Math::max));
                              counts.add(schedule.phase(i), transaction.events().size());
                              stepsDone.incrementAndGet();
                            }
                          }
                        }
                      }),
              servicesExecutor));
    }
    List<Produced> readings = workload.readings();
    CompletableFuture<Void> devices =
        CompletableFuture.runAsync(
            () ->
                uninterrupted(
                    () -> {
                      send(Topics.IOT_DEVICES.name(), workload.registrations(), deviceSerializer);
                      producer.flush();
                      for (int i = 0; i < count; i++) {
                        // The readings keep pace with the outbox events.
                        pace(startNanos + schedule.dueNanos(i));
                        long total = cumulative[count];
                        List<Produced> batch =
                            readings.subList(
                                (int) (readings.size() * cumulative[i] / Math.max(1, total)),
                                (int) (readings.size() * cumulative[i + 1] / Math.max(1, total)));
                        send(Topics.IOT_READINGS.name(), batch, readingSerializer);
                        counts.add(schedule.phase(i), batch.size());
                      }
                      producer.flush();
                    }),
            devicesExecutor);
    writers.add(devices);
    return CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new))
        .whenComplete((done, failure) -> offered = counts.rate());
  }

  /** A writer's loop, which only an interruption (the suite closing) stops. */
  private interface Loop {
    void run() throws InterruptedException;
  }

  private static void uninterrupted(Loop loop) {
    try {
      loop.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("workload interrupted", e);
    }
  }

  /**
   * The share of the current run's transactions before its main phase (for a burst: {@link
   * #progress()} reaches it when the burst starts).
   */
  double mainPhaseShare() {
    return mainPhaseShare;
  }

  /** The rates the last run that completed offered. */
  OfferedRate offeredRate() {
    return offered;
  }

  /**
   * When the last transaction with events of {@code orderId} committed (wall-clock millis), if it
   * did.
   */
  Long inputCommittedAt(String orderId) {
    return inputCommittedAt.get(orderId);
  }

  /** Sends the run's ticks ({@link Workload#ticks()}) and waits until they are acknowledged. */
  void sendTicks(Workload workload) {
    send(Topics.IOT_DEVICES.name(), workload.tickRegistrations(), deviceSerializer);
    send(Topics.IOT_READINGS.name(), workload.ticks(), readingSerializer);
    producer.flush();
  }

  /** Share of the services' transactions committed so far, in [0, 1]. */
  double progress() {
    return (double) stepsDone.get() / steps;
  }

  /** Transactions written again after a failure whose outcome was unknown or negative. */
  long rewrittenTransactions() {
    return rewrittenTransactions.get();
  }

  private void send(
      String topic, List<Produced> records, AvroWireSerializer<SpecificRecord> serde) {
    for (Produced record : records) {
      producer.send(
          new ProducerRecord<>(
              topic, record.partition(), record.key(), serde.serialize(topic, record.value())));
    }
  }

  /** One service transaction; on failure rolled back and written again until it commits. */
  private void commit(ServiceTransaction transaction, WriterConnection held)
      throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        Connection connection = held.get();
        try {
          outbox.writeAll(connection, transaction.events());
          connection.commit();
          return;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(connection);
          held.close();
          throw e;
        }
      } catch (SQLException | RuntimeException e) {
        rewrittenTransactions.incrementAndGet();
        if (attempt == 1) {
          LOG.info(
              "{} transaction failed, writing it again: {}", transaction.service(), e.toString());
        }
        // A load generator's pace while the database is away, not a wait for a condition.
        TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE.toMillis());
      }
    }
  }

  /**
   * A writer's connection, kept across its transactions as a service's pool would keep it, and
   * opened again after a failure.
   */
  private final class WriterConnection implements AutoCloseable {
    private Connection connection;

    Connection get() throws SQLException {
      if (connection == null) {
        connection = database.getConnection();
        connection.setAutoCommit(false);
      }
      return connection;
    }

    @Override
    public void close() {
      if (connection != null) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // broken already: nothing to release
        }
        connection = null;
      }
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken: the transaction is gone with it
    }
  }

  private static void pace(long untilNanos) throws InterruptedException {
    long wait = untilNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  @Override
  public void close() {
    servicesExecutor.shutdownNow();
    devicesExecutor.shutdownNow();
    producer.close(Duration.ofSeconds(10));
  }
}
