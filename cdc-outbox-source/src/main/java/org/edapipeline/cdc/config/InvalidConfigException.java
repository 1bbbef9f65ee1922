package org.edapipeline.cdc.config;

/** A configuration the service cannot run with; the message names the key and what is wrong. */
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The offending configuration key. */
  public String key() {
    return key;
  }
}
