package dev.vxdns.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The config a verticle is deployed with: the node's JSON configuration under {@code "vxdns"}, the
 * folder relative paths resolve against under {@code "config-directory"} and, when the launcher
 * moved it, the folder of the generated {@code tls} {@value TlsConfig#EPHEMERAL} under {@code
 * "tls-generated-directory"}. Verticles parse it again themselves, so each one holds its own
 * immutable typed copy.
 */
public final class DeploymentConfig {
  public static final String CONFIG_KEY = "vxdns";
  public static final String DIRECTORY_KEY = "config-directory";
  public static final String TLS_GENERATED_KEY = "tls-generated-directory";

  private DeploymentConfig() {}

  public static JsonObject of(JsonObject configuration, Path configDirectory) {
    return of(configuration, configDirectory, null);
  }

  /**
   * @param tlsGeneratedDirectory where {@code tls} {@value TlsConfig#EPHEMERAL} lives, as given to
   *     {@link VxdnsConfig#parse(JsonObject, Path, Path)}; null for the default under the config's
   *     directory
   */
  public static JsonObject of(
      JsonObject configuration, Path configDirectory, Path tlsGeneratedDirectory) {
    JsonObject deployment =
        new JsonObject()
            .put(CONFIG_KEY, configuration.copy())
            .put(DIRECTORY_KEY, configDirectory.toAbsolutePath().normalize().toString());
    if (tlsGeneratedDirectory != null) {
      deployment.put(
          TLS_GENERATED_KEY, tlsGeneratedDirectory.toAbsolutePath().normalize().toString());
    }
    return deployment;
  }

  public static VxdnsConfig parse(JsonObject deploymentConfig) throws ConfigException {
    JsonObject configuration = deploymentConfig.getJsonObject(CONFIG_KEY);
    if (configuration == null) {
      throw new ConfigException(CONFIG_KEY, "the verticle was deployed without a configuration");
    }
    String generated = deploymentConfig.getString(TLS_GENERATED_KEY);
    return VxdnsConfig.parse(
        configuration,
        Path.of(deploymentConfig.getString(DIRECTORY_KEY, ".")),
        generated == null ? null : Path.of(generated));
  }
}
