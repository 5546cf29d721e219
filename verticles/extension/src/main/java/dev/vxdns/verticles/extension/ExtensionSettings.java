package dev.vxdns.verticles.extension;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code extensions} section: a directory of Groovy scripts and Java jars served as stages, and
 * the TCP event-bus bridge for stages outside the JVM. Absent: no extension stages, no bridge.
 *
 * @param directory the folder scanned for {@code *.groovy} and {@code *.jar}, or null for none
 * @param scanPeriodMillis how often the folder is checked for changed, new and removed files
 * @param bridge the TCP event-bus bridge, or null for none
 */
public record ExtensionSettings(Path directory, long scanPeriodMillis, BridgeSettings bridge) {
  static final String KEY = "extensions";

  /** The prefix of every extension stage's address: {@code vxdns.ext.NAME}. */
  public static final String ADDRESS_PREFIX = "vxdns.ext.";

  /** A stage name: what follows {@link #ADDRESS_PREFIX}, and a file name without its extension. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  public static final ExtensionSettings NONE = new ExtensionSettings(null, 1000, null);

  /**
   * The bridge.
   *
   * @param host the address it listens on (loopback by default: the bridge has no authentication)
   * @param port its TCP port (0: an ephemeral one)
   * @param stages the names of the stages served through it: the pipeline names {@code
   *     vxdns.ext.NAME}, the external process registers {@code vxdns.bridge.NAME}
   * @param timeoutMillis how long a query waits for the external stage's answer
   */
  public record BridgeSettings(String host, int port, List<String> stages, long timeoutMillis) {
    /** The prefix of the addresses external processes register over the bridge. */
    public static final String BRIDGE_PREFIX = "vxdns.bridge.";

    public BridgeSettings {
      stages = List.copyOf(stages);
    }
  }

  public boolean enabled() {
    return directory != null || bridge != null;
  }

  public static final ConfigPart<ExtensionSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.NONE.andSections(KEY);
        }

        @Override
        public ExtensionSettings parse(ConfigSource source) throws ConfigException {
          if (!source.root().has(KEY)) {
            return NONE;
          }
          Json section = source.root().object(KEY);
          section.allowOnly(Set.of("directory", "scan-period-ms", "bridge"));
          Path directory = null;
          String configured = section.string("directory", null);
          if (configured != null) {
            directory = source.directory().resolve(configured).normalize();
            if (!Files.isDirectory(directory)) {
              throw new ConfigException(section.key("directory"), "no such directory " + directory);
            }
          }
          long scanPeriod = section.integer("scan-period-ms", 1000, 50, 3_600_000);
          BridgeSettings bridge = section.has("bridge") ? bridge(section.object("bridge")) : null;
          return new ExtensionSettings(directory, scanPeriod, bridge);
        }
      };

  private static BridgeSettings bridge(Json bridge) throws ConfigException {
    bridge.allowOnly(Set.of("address", "port", "stages", "timeout-ms"));
    String host = bridge.has("address") ? bridge.address("address").getHostAddress() : "127.0.0.1";
    List<String> stages = new ArrayList<>(new LinkedHashSet<>(bridge.strings("stages", List.of())));
    for (String stage : stages) {
      if (!NAME.matcher(stage).matches()) {
        throw new ConfigException(
            bridge.key("stages"),
            "'" + stage + "' is not a stage name (letters, digits, '-' and '_', up to 63)");
      }
    }
    return new BridgeSettings(
        host,
        bridge.integer("port", 7001, 0, 65535),
        stages,
        bridge.integer("timeout-ms", 2000, 1, 600_000));
  }
}
