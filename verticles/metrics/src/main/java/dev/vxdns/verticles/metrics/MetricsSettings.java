package dev.vxdns.verticles.metrics;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.Json;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The statistics channels ({@code statistics-channels}, as BIND's: where {@code /metrics}, {@code
 * /health} and {@code /ready} are served) and the query log ({@code querylog}).
 *
 * @param queryLog null when there is no {@code querylog} section
 */
public record MetricsSettings(List<Channel> channels, QueryLogConfig queryLog) {
  public MetricsSettings {
    channels = List.copyOf(channels);
  }

  /** One listener of the statistics channel. */
  public record Channel(InetAddress address, int port, AddressMatchList allow) {}

  /**
   * The query log: JSON lines in {@code file}, rotated when it reaches {@code maxSize} bytes
   * ({@code file.1} .. {@code file.VERSIONS}); {@code queueSize} entries wait for the writer at
   * most (more are dropped and counted).
   */
  public record QueryLogConfig(
      boolean enabled, Path file, long maxSize, int versions, int queueSize) {}

  public static final ConfigPart<MetricsSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.NONE.andSections("statistics-channels", "querylog");
        }

        @Override
        public MetricsSettings parse(ConfigSource source) throws ConfigException {
          List<Channel> channels = new ArrayList<>();
          for (Json channel : source.root().objects("statistics-channels")) {
            channel.allowOnly(Set.of("address", "port", "allow"));
            channels.add(
                new Channel(
                    channel.address("address"),
                    channel.integer("port", 9153, 0, 65535),
                    source.acls().compile(channel, "allow", List.of("localhost"))));
          }
          QueryLogConfig queryLog = null;
          if (source.root().has("querylog")) {
            Json log = source.root().object("querylog");
            log.allowOnly(Set.of("enabled", "file", "max-size", "versions", "queue-size"));
            queryLog =
                new QueryLogConfig(
                    log.bool("enabled", true),
                    source.directory().resolve(log.requiredString("file")).normalize(),
                    log.integer("max-size", 100 * 1024 * 1024, 4096, Integer.MAX_VALUE),
                    log.integer("versions", 5, 0, 100),
                    log.integer("queue-size", 65536, 1, 16 * 1024 * 1024));
          }
          return new MetricsSettings(channels, queryLog);
        }
      };
}
