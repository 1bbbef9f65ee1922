package org.edapipeline.schemas.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.edapipeline.schemas.registry.CompatibilityLevel;
import org.edapipeline.schemas.registry.CompatibilityResult;
import org.edapipeline.schemas.registry.SchemaMetadata;
import org.edapipeline.schemas.registry.SchemaRegistryClient;

/**
 * A real client that counts the calls made through it, to prove callers cache. Counts only the
 * calls a serde makes per record: register, lookup and getById.
 */
public final class CountingClient implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private final AtomicInteger calls = new AtomicInteger();

  public CountingClient(SchemaRegistryClient delegate) {
    this.delegate = delegate;
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public int register(String subject, Schema schema) {
    calls.incrementAndGet();
    return delegate.register(subject, schema);
  }

  @Override
  public Schema getById(int id) {
    calls.incrementAndGet();
    return delegate.getById(id);
  }

  @Override
  public SchemaMetadata lookup(String subject, Schema schema) {
    calls.incrementAndGet();
    return delegate.lookup(subject, schema);
  }

  @Override
  public SchemaMetadata latest(String subject) {
    return delegate.latest(subject);
  }

  @Override
  public SchemaMetadata version(String subject, int version) {
    return delegate.version(subject, version);
  }

  @Override
  public List<Integer> versions(String subject) {
    return delegate.versions(subject);
  }

  @Override
  public List<String> subjects() {
    return delegate.subjects();
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public CompatibilityLevel getCompatibility() {
    return delegate.getCompatibility();
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return delegate.getCompatibility(subject);
  }

  @Override
  public void setCompatibility(CompatibilityLevel level) {
    delegate.setCompatibility(level);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    delegate.setCompatibility(subject, level);
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    return delegate.deleteSubject(subject);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
