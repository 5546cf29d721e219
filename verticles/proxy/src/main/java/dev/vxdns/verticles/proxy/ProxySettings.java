package dev.vxdns.verticles.proxy;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import java.util.List;

/**
 * The proxy stage's part of the configuration, BIND 9.20's PROXY options.
 *
 * @param allowProxy who may send PROXY headers, matched on the REAL source ({@code allow-proxy},
 *     default none)
 * @param allowProxyOn where PROXY headers are accepted, matched on the REAL destination ({@code
 *     allow-proxy-on}, default any)
 * @param maxHeaderSize the largest PROXY header accepted ({@code proxy-max-header-size}, default
 *     512 as dnsdist); the stream transports delimit headers with it too
 */
public record ProxySettings(
    AddressMatchList allowProxy, AddressMatchList allowProxyOn, int maxHeaderSize) {
  public static final ConfigPart<ProxySettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("allow-proxy", "allow-proxy-on", "proxy-max-header-size");
        }

        @Override
        public ProxySettings parse(ConfigSource source) throws ConfigException {
          return new ProxySettings(
              source.acls().compile(source.options(), "allow-proxy", List.of("none")),
              source.acls().compile(source.options(), "allow-proxy-on", List.of("any")),
              source.options().integer("proxy-max-header-size", 512, 16, 65551));
        }
      };
}
