package dev.vxdns.config;

import dev.vxdns.message.DnsExchange;

/**
 * The message sizes every part that writes DNS responses shares.
 *
 * @param maxUdpSize largest UDP response sent ({@code max-udp-size}, default 1232)
 * @param ednsUdpSize UDP size advertised in responses' OPT record ({@code edns-udp-size}, default
 *     1232)
 * @param nocookieUdpSize largest UDP response to a query without a valid server cookie ({@code
 *     nocookie-udp-size}, default 4096), kept between 128 and {@code max-udp-size} as BIND keeps it
 */
public record DnsOptions(int maxUdpSize, int ednsUdpSize, int nocookieUdpSize) {
  public static final ConfigPart<DnsOptions> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("max-udp-size", "edns-udp-size", "nocookie-udp-size");
        }

        @Override
        public DnsOptions parse(ConfigSource source) throws ConfigException {
          Json options = source.options();
          return new DnsOptions(
              options.integer("max-udp-size", 1232, 512, 4096),
              options.integer("edns-udp-size", 1232, 512, 4096),
              options.integer("nocookie-udp-size", 4096, 0, 65535));
        }
      };

  public DnsOptions {
    nocookieUdpSize = Math.min(Math.max(nocookieUdpSize, 128), maxUdpSize);
  }

  /** Sizes without a smaller limit for queries without cookies. */
  public DnsOptions(int maxUdpSize, int ednsUdpSize) {
    this(maxUdpSize, ednsUdpSize, maxUdpSize);
  }

  /**
   * The largest UDP response to this exchange: {@code max-udp-size}, or {@code nocookie-udp-size}
   * unless the query carried a valid server cookie (BIND's client.c; with cookies off, never).
   */
  public int maxUdpSize(DnsExchange exchange) {
    return exchange.verdicts().cookieVerified() ? maxUdpSize : nocookieUdpSize;
  }
}
