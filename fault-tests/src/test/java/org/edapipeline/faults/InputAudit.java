package org.edapipeline.faults;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.edapipeline.jobs.common.Sourced;

/**
 * Keyed state whose type evolves between the two {@link Release}s: per input partition, how many
 * records the job read and the last offset, as an Avro record kept in RocksDB. The {@link
 * Release#NEXT next release}'s schema drops a field of the current one ({@code partitionName},
 * redundant with the key), so restoring the current release's savepoint makes Flink migrate every
 * entry to the new schema (Avro schema resolution: compatible after migration).
 *
 * <p>It runs on a branch of its own (its output is discarded), so the jobs' own path is unchanged.
 * The first time a subtask of the next release reads an entry it restored, it reports the entry to
 * {@link #restored()}: the suite requires the old counts under the new schema after the restore.
 */
final class InputAudit<T> extends KeyedProcessFunction<String, Sourced<T>, Void> {
  private static final long serialVersionUID = 1L;

  /** An entry the next release restored: its count and the fields of its schema. */
  record Restored(String partition, long records, List<String> fields) {}

  private static final List<Restored> RESTORED = new CopyOnWriteArrayList<>();

  private final Release release;
  private transient ValueState<GenericRecord> audit;
  private transient Schema schema;
  private transient Set<String> seen;

  InputAudit(Release release) {
    this.release = release;
  }

  /** The key: the record's input partition. */
  static <T> String partitionOf(Sourced<T> record) {
    return record.origin.topic + "-" + record.origin.partition;
  }

  /** Entries the next release restored, in the order read. */
  static List<Restored> restored() {
    return List.copyOf(RESTORED);
  }

  @Override
  public void open(OpenContext context) {
    schema = new Schema.Parser().parse(release.auditSchema());
    seen = new HashSet<>();
    audit =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("input-audit", new GenericRecordAvroTypeInfo(schema)));
  }

  @Override
  public void processElement(Sourced<T> record, Context context, Collector<Void> out)
      throws Exception {
    GenericRecord entry = audit.value();
    boolean first = seen.add(context.getCurrentKey());
    if (entry == null) {
      entry = new GenericData.Record(schema);
      entry.put("records", 0L);
      if (schema.getField("partitionName") != null) {
        entry.put("partitionName", context.getCurrentKey());
      }
    } else if (first && release == Release.NEXT) {
      List<String> fields = new ArrayList<>();
      entry.getSchema().getFields().forEach(f -> fields.add(f.name()));
      RESTORED.add(new Restored(context.getCurrentKey(), (Long) entry.get("records"), fields));
    }
    entry.put("records", (Long) entry.get("records") + 1);
    entry.put("lastOffset", record.origin.offset);
    audit.update(entry);
  }
}
