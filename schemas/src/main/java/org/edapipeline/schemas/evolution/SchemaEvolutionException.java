package org.edapipeline.schemas.evolution;

/** Thrown by {@link SchemaEvolutionCheck#main} to fail the build; the message is the report. */
public final class SchemaEvolutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SchemaEvolutionException(String report) {
    super(report);
  }
}
