package org.edapipeline.localstack.services;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.edapipeline.schemas.Topic;
import org.edapipeline.service.consumer.IdempotentConsumer;
import org.edapipeline.service.consumer.IdempotentConsumerConfig;
import org.edapipeline.service.consumer.RecordHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated service as a process that can be up or down: an {@link IdempotentConsumer} of its
 * topics on its own thread, and optionally a periodic task (placing orders, retrying payments,
 * delivering shipments) that runs in its own transaction. {@link #down()} stops both as a crash of
 * the service would (the consumer closes, its group rebalances, nothing is processed); {@link
 * #up()} starts a new consumer in the same group, which continues from the committed offsets.
 */
final class ServiceProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);

  /** Work a service does on its own schedule, in one transaction per call. */
  @FunctionalInterface
  interface Task {
    /** Does the work that is due; the caller commits afterwards (or rolls back on a throw). */
    void run(Connection connection) throws SQLException;
  }

  private final String name;
  private final ServiceContext context;
  private final List<Topic<?, ?>> topics;
  private final RecordHandler<SpecificRecord> handler;
  private final Task task;
  private final Duration taskPeriod;
  private final ScheduledExecutorService scheduler;

  private IdempotentConsumer<SpecificRecord> consumer;
  private Thread consumerThread;
  private Connection taskConnection;
  private volatile boolean down;
  private boolean closed;

  /**
   * @param topics the topics the service consumes; empty for none
   * @param task periodic work; null for none
   */
  ServiceProcess(
      String name,
      ServiceContext context,
      List<Topic<?, ?>> topics,
      RecordHandler<SpecificRecord> handler,
      Task task,
      Duration taskPeriod) {
    this.name = name;
    this.context = context;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.task = task;
    this.taskPeriod = taskPeriod;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, name + "-tasks");
              thread.setDaemon(true);
              return thread;
            });
  }

  String name() {
    return name;
  }

  boolean isDown() {
    return down;
  }

  /** Starts the consumer and the periodic task. */
  synchronized void start() {
    startConsumer();
    if (task != null) {
      scheduler.scheduleAtFixedRate(this::runTask, 0, taskPeriod.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** The service goes down: the consumer closes and the periodic task pauses. */
  synchronized void down() {
    if (down || closed) {
      return;
    }
    down = true;
    stopConsumer();
  }

  /** The service comes back: a new consumer in the same group, and the task resumes. */
  synchronized void up() {
    if (!down || closed) {
      return;
    }
    down = false;
    startConsumer();
  }

  private void startConsumer() {
    if (topics.isEmpty()) {
      return;
    }
    IdempotentConsumerConfig config =
        IdempotentConsumerConfig.builder()
            .consumerName(name)
            .topics(topics)
            .bootstrapServers(context.bootstrapServers())
            .pollTimeout(Duration.ofMillis(200))
            .retryBackoff(Duration.ofMillis(100), Duration.ofSeconds(2))
            .closeTimeout(Duration.ofSeconds(10))
            .build();
    consumer =
        IdempotentConsumer.builder(config, context.dataSource(), context.registry())
            .handler(handler)
            .build();
    consumerThread = new Thread(consumer, name + "-consumer");
    consumerThread.setDaemon(true);
    consumerThread.start();
  }

  private void stopConsumer() {
    if (consumer != null) {
      consumer.close();
      try {
        consumerThread.join(Duration.ofSeconds(15).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      consumer = null;
      consumerThread = null;
    }
  }

  private void runTask() {
    if (down) {
      return;
    }
    try {
      if (taskConnection == null || !taskConnection.isValid(1)) {
        closeTaskConnection();
        taskConnection = context.dataSource().getConnection();
        taskConnection.setAutoCommit(false);
      }
      try {
        task.run(taskConnection);
        taskConnection.commit();
      } catch (SQLException | RuntimeException e) {
        taskConnection.rollback();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      // A failed run changes nothing (rolled back) and is tried again at the next tick.
      LOG.warn("{}: periodic work failed, will retry: {}", name, e.toString());
      closeTaskConnection();
    }
  }

  private void closeTaskConnection() {
    if (taskConnection != null) {
      try {
        taskConnection.close();
      } catch (SQLException ignored) {
        // Closing a broken connection: nothing more to do.
      }
      taskConnection = null;
    }
  }

  /** Stops the periodic task and the consumer (which finishes the record it is handling). */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("{}: periodic work did not stop within 10 s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeTaskConnection();
    synchronized (this) {
      stopConsumer();
    }
  }
}
