package org.edapipeline.schemas.evolution;

/**
 * One thing wrong with the event catalogue.
 *
 * @param subject the full name of the schema concerned, or the file that could not be parsed
 * @param description what is wrong and how to fix it
 */
public record Problem(String subject, String description) {

  @Override
  public String toString() {
    return subject + " " + description;
  }
}
