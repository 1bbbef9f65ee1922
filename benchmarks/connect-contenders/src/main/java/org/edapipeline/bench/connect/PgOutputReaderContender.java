package org.edapipeline.bench.connect;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.edapipeline.bench.contract.ContenderLifecycle;
import org.edapipeline.bench.contract.ContenderSpec;

/**
 * The CDC ceiling: a raw {@code pgoutput} reader on PgJDBC's replication API ({@link
 * PgOutputReader}), with nothing between the WAL and the producer but decoding.
 *
 * <p>Configuration (spec keys): {@code pg.url}, {@code pg.user}, {@code pg.password} (optional),
 * {@code pg.slot} (an existing {@code pgoutput} slot; the harness creates a fresh one per run),
 * {@code pg.publication}, {@code bootstrap.servers}, {@code run.id} (client id). Protocol v1, the
 * publication's outbox inserts only; records as our CDC service writes them (same topic, key, value
 * bytes and headers); producer settings identical to our service's ({@link ProducerSettings}); the
 * slot's flushed LSN advances after {@code producer.flush()}, at least every second.
 */
public final class PgOutputReaderContender {

  private PgOutputReaderContender() {}

  /**
   * @param args the spec file
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: PgOutputReaderContender <spec-file>");
      System.exit(2);
    }
    ContenderSpec spec = ContenderSpec.load(Path.of(args[0]));
    PgOutputReader reader =
        PgOutputReader.start(
            spec.get(ContenderSpec.PG_URL),
            spec.get(ContenderSpec.PG_USER),
            spec.get(ContenderSpec.PG_PASSWORD, null),
            spec.get(ContenderSpec.PG_SLOT),
            spec.get(ContenderSpec.PG_PUBLICATION),
            ProducerSettings.of(
                spec.get(ContenderSpec.BOOTSTRAP_SERVERS),
                "pgoutput-reader-" + spec.get(ContenderSpec.RUN_ID)));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    reader.close();
                  } catch (Exception e) {
                    System.err.println("pgoutput reader: close failed: " + e);
                  }
                },
                "pgoutput-reader-stop"));
    ContenderLifecycle.ready();
    while (reader.failure() == null) {
      TimeUnit.SECONDS.sleep(1);
    }
    System.err.println("PgOutputReaderContender: the reader failed: " + reader.failure());
    System.exit(1);
  }
}
