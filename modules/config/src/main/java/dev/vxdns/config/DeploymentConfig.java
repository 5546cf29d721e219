package dev.vxdns.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The config a verticle is deployed with: the node's JSON configuration under {@code "vxdns"} and
 * the folder relative paths resolve against under {@code "config-directory"}. Verticles parse it
 * again themselves, so each one holds its own immutable typed copy.
 */
public final class DeploymentConfig {
  public static final String CONFIG_KEY = "vxdns";
  public static final String DIRECTORY_KEY = "config-directory";

  private DeploymentConfig() {}

  public static JsonObject of(JsonObject configuration, Path configDirectory) {
    return new JsonObject()
        .put(CONFIG_KEY, configuration.copy())
        .put(DIRECTORY_KEY, configDirectory.toAbsolutePath().normalize().toString());
  }

  public static VxdnsConfig parse(JsonObject deploymentConfig) throws ConfigException {
    JsonObject configuration = deploymentConfig.getJsonObject(CONFIG_KEY);
    if (configuration == null) {
      throw new ConfigException(CONFIG_KEY, "the verticle was deployed without a configuration");
    }
    return VxdnsConfig.parse(configuration, Path.of(deploymentConfig.getString(DIRECTORY_KEY, ".")));
  }
}
