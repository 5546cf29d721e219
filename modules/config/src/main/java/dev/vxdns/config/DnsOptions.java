package dev.vxdns.config;

/**
 * The message sizes every part that writes DNS responses shares.
 *
 * @param maxUdpSize largest UDP response sent ({@code max-udp-size}, default 1232)
 * @param ednsUdpSize UDP size advertised in responses' OPT record ({@code edns-udp-size}, default
 *     1232)
 */
public record DnsOptions(int maxUdpSize, int ednsUdpSize) {
  public static final ConfigPart<DnsOptions> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("max-udp-size", "edns-udp-size");
        }

        @Override
        public DnsOptions parse(ConfigSource source) throws ConfigException {
          Json options = source.options();
          return new DnsOptions(
              options.integer("max-udp-size", 1232, 512, 4096),
              options.integer("edns-udp-size", 1232, 512, 4096));
        }
      };
}
