package org.edapipeline.localstack;

import static org.edapipeline.localstack.OptionChecks.invalid;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shop database's connection options of the {@code simulate} and {@code migrate} commands (a
 * picocli mixin), each also read from its {@code SIMULATOR_*} environment variable.
 */
final class DatabaseOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--jdbc-url",
      required = true,
      paramLabel = "URL",
      defaultValue = "${env:SIMULATOR_JDBC_URL}",
      description =
          "The shop database the CDC source streams, e.g. jdbc:postgresql://postgres:5432/shop.")
  String jdbcUrl;

  @Option(
      names = "--jdbc-user",
      required = true,
      paramLabel = "USER",
      defaultValue = "${env:SIMULATOR_JDBC_USER}",
      description = "The role the services connect as; it creates their tables.")
  String jdbcUser;

  @Option(
      names = "--jdbc-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:SIMULATOR_JDBC_PASSWORD}",
      description = "Its password (better: SIMULATOR_JDBC_PASSWORD). Never logged.")
  String jdbcPassword;

  /**
   * The checked connection.
   *
   * @throws picocli.CommandLine.ParameterException naming the option of an unusable value
   */
  DatabaseConnection toConnection() {
    String url = jdbcUrl.strip();
    if (!url.startsWith("jdbc:postgresql:")) {
      throw invalid(
          spec,
          "--jdbc-url",
          "expected jdbc:postgresql://host:port/database, got a URL starting '"
              + url.substring(0, Math.min(url.length(), 16))
              + "'");
    }
    if (jdbcUser.isBlank()) {
      throw invalid(spec, "--jdbc-user", "must not be empty");
    }
    return new DatabaseConnection(url, jdbcUser.strip(), jdbcPassword);
  }
}
