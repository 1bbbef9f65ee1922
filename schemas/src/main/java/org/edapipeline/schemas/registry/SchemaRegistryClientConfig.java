package org.edapipeline.schemas.registry;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable, validated settings of a {@link SchemaRegistryClient}. Build one with {@link
 * #builder(String...)} or read one from Kafka-style properties with {@link #fromMap(Map)}; every
 * validation error is a {@link ConfigException} naming the offending key (never a secret value).
 *
 * <p>Serializable, so Flink can ship it to task managers. {@link #toString()} hides the password.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #URL}</td><td>(required)</td><td>comma-separated base URLs, tried in turn</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_USER_INFO}</td><td>none</td><td>{@code user:password} for HTTP
 *       basic auth</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT_MS}</td><td>5000</td><td>TCP connect timeout</td></tr>
 *   <tr><td>{@value #REQUEST_TIMEOUT_MS}</td><td>10000</td><td>timeout of one HTTP request</td></tr>
 *   <tr><td>{@value #MAX_RETRIES}</td><td>3</td><td>retries after an I/O error or 5xx</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MS}</td><td>100</td><td>first backoff, doubled per retry</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MAX_MS}</td><td>5000</td><td>backoff cap</td></tr>
 * </table>
 */
public final class SchemaRegistryClientConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Comma-separated registry base URLs (Confluent's key). */
  public static final String URL = "schema.registry.url";

  /** {@code user:password} for basic auth (Confluent's key). */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Confluent's credentials source; if set, must be {@code USER_INFO}. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String MAX_RETRIES = "schema.registry.max.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";

  private final List<URI> urls;
  private final String username;
  private final String password;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration retryBackoff;
  private final Duration retryBackoffMax;

  private SchemaRegistryClientConfig(Builder b) {
    this.urls = List.copyOf(b.urls);
    this.username = b.username;
    this.password = b.password;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxRetries = b.maxRetries;
    this.retryBackoff = b.retryBackoff;
    this.retryBackoffMax = b.retryBackoffMax;
  }

  /**
   * A builder for these base URLs (at least one; more give failover).
   *
   * @throws ConfigException if a URL is not an absolute http(s) URL without credentials
   */
  public static Builder builder(String... urls) {
    return new Builder().urls(List.of(urls));
  }

  /**
   * Reads the keys listed in the class comment; other keys are ignored, so a whole Kafka client
   * configuration can be passed.
   *
   * @throws ConfigException naming the key that is missing or invalid
   */
  public static SchemaRegistryClientConfig fromMap(Map<String, ?> config) {
    Object url = config.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new ConfigException("Missing required configuration \"" + URL + "\"");
    }
    Builder builder = new Builder().urls(List.of(url.toString().split(",")));
    Object source = config.get(BASIC_AUTH_CREDENTIALS_SOURCE);
    if (source != null && !"USER_INFO".equals(source.toString())) {
      throw new ConfigException(
          BASIC_AUTH_CREDENTIALS_SOURCE, source, "only USER_INFO is supported");
    }
    Object userInfo = config.get(BASIC_AUTH_USER_INFO);
    if (userInfo != null && !userInfo.toString().isEmpty()) {
      String text = userInfo.toString();
      int colon = text.indexOf(':');
      if (colon <= 0) {
        // Never echo the value: it holds a password.
        throw new ConfigException(
            "Invalid value for configuration \""
                + BASIC_AUTH_USER_INFO
                + "\": expected user:password");
      }
      builder.basicAuth(text.substring(0, colon), text.substring(colon + 1));
    }
    builder.connectTimeout(millis(config, CONNECT_TIMEOUT_MS, builder.connectTimeout));
    builder.requestTimeout(millis(config, REQUEST_TIMEOUT_MS, builder.requestTimeout));
    builder.maxRetries((int) number(config, MAX_RETRIES, builder.maxRetries));
    builder.retryBackoff(
        millis(config, RETRY_BACKOFF_MS, builder.retryBackoff),
        millis(config, RETRY_BACKOFF_MAX_MS, builder.retryBackoffMax));
    return builder.build();
  }

  private static Duration millis(Map<String, ?> config, String key, Duration fallback) {
    return Duration.ofMillis(number(config, key, fallback.toMillis()));
  }

  private static long number(Map<String, ?> config, String key, long fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "not a number");
    }
  }

  /** The base URLs, in failover order. */
  public List<URI> urls() {
    return urls;
  }

  /** The basic-auth user, if basic auth is on. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The basic-auth password; package-private so it does not leak through the API. */
  String password() {
    return password;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Retries after the first attempt, on I/O errors and 5xx only. */
  public int maxRetries() {
    return maxRetries;
  }

  public Duration retryBackoff() {
    return retryBackoff;
  }

  public Duration retryBackoffMax() {
    return retryBackoffMax;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaRegistryClientConfig c
        && urls.equals(c.urls)
        && Objects.equals(username, c.username)
        && Objects.equals(password, c.password)
        && connectTimeout.equals(c.connectTimeout)
        && requestTimeout.equals(c.requestTimeout)
        && maxRetries == c.maxRetries
        && retryBackoff.equals(c.retryBackoff)
        && retryBackoffMax.equals(c.retryBackoffMax);
  }

  @Override
  public int hashCode() {
    return Objects.hash(urls, username, connectTimeout, requestTimeout, maxRetries, retryBackoff);
  }

  @Override
  public String toString() {
    return "SchemaRegistryClientConfig{urls="
        + urls
        + ", basicAuth="
        + (username == null ? "off" : "on")
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", retryBackoff="
        + retryBackoff
        + ".."
        + retryBackoffMax
        + "}";
  }

  /** Builds a {@link SchemaRegistryClientConfig}; each setter validates its value. */
  public static final class Builder {
    private List<URI> urls = List.of();
    private String username;
    private String password;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxRetries = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private Duration retryBackoffMax = Duration.ofSeconds(5);

    private Builder() {}

    /** Base URLs, e.g. {@code http://registry:8081}; a trailing slash is removed. */
    public Builder urls(List<String> urls) {
      List<URI> parsed = new ArrayList<>();
      for (String url : urls) {
        parsed.add(parseUrl(url));
      }
      if (parsed.isEmpty()) {
        throw new ConfigException("Configuration \"" + URL + "\" needs at least one URL");
      }
      this.urls = parsed;
      return this;
    }

    private static URI parseUrl(String text) {
      String trimmed = text == null ? "" : text.trim();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      URI uri;
      try {
        uri = new URI(trimmed);
      } catch (URISyntaxException e) {
        throw new ConfigException(URL, redacted(trimmed), "not a URL");
      }
      if (uri.getRawUserInfo() != null) {
        // Not echoed: it would print the credentials.
        throw new ConfigException(
            "Configuration \""
                + URL
                + "\" must not carry credentials; use \""
                + BASIC_AUTH_USER_INFO
                + "\"");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new ConfigException(URL, redacted(trimmed), "must be an absolute http(s) URL");
      }
      return uri;
    }

    /** A URL fit for an error message: anything that may be user info is cut. */
    private static String redacted(String url) {
      return url.contains("@") ? "<redacted>" : url;
    }

    /** Turns on HTTP basic auth. */
    public Builder basicAuth(String username, String password) {
      if (username == null || username.isEmpty() || username.contains(":")) {
        throw new ConfigException(
            "Configuration \"" + BASIC_AUTH_USER_INFO + "\" needs a non-empty user without ':'");
      }
      if (password == null) {
        throw new ConfigException(
            "Configuration \"" + BASIC_AUTH_USER_INFO + "\" needs a password");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    /** TCP connect timeout; default 5 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(CONNECT_TIMEOUT_MS, timeout);
      return this;
    }

    /** Timeout of each HTTP request, from send to full response; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(REQUEST_TIMEOUT_MS, timeout);
      return this;
    }

    /** Retries after an I/O error or 5xx; 0 turns retries off; default 3. */
    public Builder maxRetries(int retries) {
      if (retries < 0 || retries > 100) {
        throw new ConfigException(MAX_RETRIES, retries, "must be in [0, 100]");
      }
      this.maxRetries = retries;
      return this;
    }

    /**
     * Exponential backoff between retries: from {@code initial}, doubling, capped at {@code max}.
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.retryBackoff = positive(RETRY_BACKOFF_MS, initial);
      this.retryBackoffMax = positive(RETRY_BACKOFF_MAX_MS, max);
      if (max.compareTo(initial) < 0) {
        throw new ConfigException(
            RETRY_BACKOFF_MAX_MS, max.toMillis(), "must be >= " + RETRY_BACKOFF_MS);
      }
      return this;
    }

    private static Duration positive(String key, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new ConfigException(key, value == null ? null : value.toMillis(), "must be > 0 ms");
      }
      return value;
    }

    /** The validated config. */
    public SchemaRegistryClientConfig build() {
      if (urls.isEmpty()) {
        throw new ConfigException("Missing required configuration \"" + URL + "\"");
      }
      return new SchemaRegistryClientConfig(this);
    }
  }
}
