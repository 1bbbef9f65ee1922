package org.edapipeline.bench.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams topology the way every Streams contender is configured:
 *
 * <ul>
 *   <li>{@code application.id} = the run id (fresh consumer group, transactional ids and internal
 *       topics per run; a new group starts from the earliest offsets, Kafka Streams' default);
 *   <li>{@code processing.guarantee=exactly_once_v2};
 *   <li>{@code num.stream.threads} = min(partitions, available processors): one thread per core,
 *       never more threads than input partitions;
 *   <li>{@code commit.interval.ms} from the spec when given, else Kafka Streams' default (100 ms
 *       under exactly-once);
 *   <li>{@code state.dir} in the run's work directory (RocksDB, the default store);
 *   <li>a record that cannot be deserialized is logged, counted in Kafka Streams' {@code
 *       dropped-records} metric and skipped ({@link LogAndContinueExceptionHandler}); it never
 *       stops the application.
 * </ul>
 *
 * <p>Everything else is Kafka Streams' default. Ready (for the harness's CPU sample) when the
 * instance first reaches RUNNING, i.e. after the rebalance, task creation and store opening.
 */
public final class StreamsRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsRunner.class);
  private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final Path stateDir;
  private final AtomicBoolean ready = new AtomicBoolean();

  /**
   * Creates (but does not start) the instance.
   *
   * @param topology the topology
   * @param runId application id
   * @param bootstrapServers Kafka
   * @param workDir the run's directory; the state goes to {@code streams-state} in it
   * @param partitions partitions of the input topics
   * @param commitInterval the commit interval, or empty for Kafka Streams' default
   * @param onReady called once, when the instance first reaches RUNNING
   */
  public StreamsRunner(
      Topology topology,
      String runId,
      String bootstrapServers,
      Path workDir,
      int partitions,
      Optional<Duration> commitInterval,
      Runnable onReady) {
    if (!LEGAL_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "contender spec: key 'run.id' must be a legal application id ([a-zA-Z0-9._-]), got '"
              + runId
              + "'");
    }
    this.stateDir = workDir.resolve("streams-state");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, runId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads(partitions));
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    commitInterval.ifPresent(
        interval -> props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, interval.toMillis()));
    this.streams = new KafkaStreams(topology, props);
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("Kafka Streams failed; the contender stops processing", e);
          System.err.println("Kafka Streams failed: " + e);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Kafka Streams {} -> {}", before, now);
          if (now == KafkaStreams.State.RUNNING && ready.compareAndSet(false, true)) {
            onReady.run();
          }
        });
  }

  /** Threads: one per core, at most one per input partition. */
  public static int threads(int partitions) {
    return Math.min(partitions, Runtime.getRuntime().availableProcessors());
  }

  /** Starts processing. */
  public void start() {
    streams.start();
  }

  /** The instance's state. */
  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Figures for the report: the state directory's size on disk (RocksDB files), in bytes. */
  public Map<String, Long> metrics() {
    return Map.of("state.size.bytes", directorySize(stateDir));
  }

  /** Closes the instance (commits and closes its tasks), waiting up to 30 s. */
  @Override
  public void close() {
    streams.close(CLOSE_TIMEOUT);
  }

  static long directorySize(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // a RocksDB file removed by compaction meanwhile
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (UncheckedIOException e) {
      return 0;
    }
  }
}
