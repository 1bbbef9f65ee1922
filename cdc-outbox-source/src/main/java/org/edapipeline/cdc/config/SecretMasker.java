package org.edapipeline.cdc.config;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Knows which configuration keys hold secrets and replaces their values in any text, so that no log
 * line or error message carries a password.
 */
public final class SecretMasker {

  /** What a secret looks like in logs. */
  public static final String MASK = "******";

  /** Keys that hold secrets though their name does not say "password". */
  private static final Set<String> SECRET_SUFFIXES =
      Set.of("sasl.jaas.config", "basic.auth.user.info", "ssl.keystore.key");

  private final List<String> secrets;

  SecretMasker(List<String> secretValues) {
    // Longest first, so a secret containing another is masked whole.
    this.secrets =
        secretValues.stream()
            .filter(value -> value != null && !value.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  /** A masker that knows no secret values (still masks by key in {@link #maskValue}). */
  public static SecretMasker none() {
    return new SecretMasker(List.of());
  }

  /** Whether values of {@code key} are secrets: passwords, JAAS configs, registry credentials. */
  public static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    int lastDot = lower.lastIndexOf('.');
    String lastSegment = lower.substring(lastDot + 1);
    return lastSegment.contains("password")
        || SECRET_SUFFIXES.stream().anyMatch(suffix -> lower.endsWith(suffix));
  }

  /** The value as it may be shown: masked if {@code key} is a secret key. */
  public String maskValue(String key, Object value) {
    return isSecretKey(key) ? MASK : mask(String.valueOf(value));
  }

  /** {@code text} with every known secret value replaced by {@link #MASK}; null stays null. */
  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : secrets) {
      masked = masked.replace(secret, MASK);
    }
    return masked;
  }

  /** The message of {@code error} and its causes, masked, for a log line. */
  public String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (text.length() > 0) {
        text.append(" <- ");
      }
      text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return mask(text.toString());
  }
}
