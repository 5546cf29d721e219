package dev.vxdns.verticles.auth;

import dev.vxdns.auth.TsigKey;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import dev.vxdns.config.ServerIdentity;
import dev.vxdns.config.SessionKeyOptions;
import dev.vxdns.config.TsigKeySection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Name;

/**
 * The auth stage's part of the configuration: the TSIG keys (BIND's {@code key} statements), TKEY,
 * the SIG(0) limits, DNS Cookies and the NSID.
 *
 * @param tkey TKEY Diffie-Hellman settings, or null when TKEY is off ({@code tkey-domain} unset)
 * @param cookies DNS Cookies, or null when they are off ({@code answer-cookie no})
 * @param serverId the NSID (RFC 5001) of responses to queries that ask for it, or null ({@code
 *     server-id}, {@link ServerIdentity})
 * @param session the session key for {@code update-policy local}: made at start and written to its
 *     file when a zone needs it ({@link SessionKey})
 */
public record AuthSettings(
    List<TsigKey> keys,
    TkeyOptions tkey,
    Sig0Options sig0,
    CookieOptions cookies,
    String serverId,
    DnsOptions dns,
    SessionKeyOptions session) {
  public AuthSettings {
    keys = List.copyOf(keys);
  }

  public static final ConfigPart<AuthSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          ConfigKeys own =
              ConfigKeys.options(
                  "tkey-domain",
                  "tkey-dhkey",
                  "tkey-max-lifetime",
                  "tkey-max-keys",
                  "tkey-max-keys-per-client",
                  "sig0-workers",
                  "sig0-rate-limit",
                  "sig0-max-pending",
                  "answer-cookie",
                  "require-server-cookie",
                  "cookie-algorithm",
                  "cookie-secret");
          return ConfigKeys.of(List.of(own, SessionKeyOptions.PART.keys()));
        }

        @Override
        public AuthSettings parse(ConfigSource source) throws ConfigException {
          Json options = source.options();
          List<TsigKey> keys = source.parse(TsigKeySection.PART).keys();
          SessionKeyOptions session = source.parse(SessionKeyOptions.PART);
          if (session.needed()
              && keys.stream().anyMatch(key -> key.name().equals(session.name()))) {
            throw new ConfigException(
                "key." + session.name().toString(true),
                "is session-keyname's: the node makes that key for update-policy local");
          }
          return new AuthSettings(
              keys,
              parseTkey(source),
              new Sig0Options(
                  options.integer("sig0-workers", 1, 0, 64),
                  options.integer("sig0-rate-limit", 10, 1, 1_000_000),
                  options.integer("sig0-max-pending", 64, 1, 100_000)),
              parseCookies(options),
              source.parse(ServerIdentity.PART).serverId(),
              source.parse(DnsOptions.PART),
              session);
        }
      };

  private static CookieOptions parseCookies(Json options) throws ConfigException {
    boolean require = options.bool("require-server-cookie", false);
    String algorithm = options.string("cookie-algorithm", "siphash24");
    if (!algorithm.equalsIgnoreCase("siphash24")) {
      throw new ConfigException(
          options.key("cookie-algorithm"),
          "only siphash24 (RFC 9018, BIND 9.20's only one) is supported, got " + algorithm);
    }
    List<String> secrets = new ArrayList<>();
    for (String secret : options.strings("cookie-secret", List.of())) {
      // The secret itself is never echoed: a config error may end up in a log.
      if (secret.length() != 32 || !secret.chars().allMatch(HexFormat::isHexDigit)) {
        throw new ConfigException(
            options.key("cookie-secret"),
            "a siphash24 cookie secret is 128 bits, 32 hexadecimal digits; got "
                + secret.length()
                + " characters"
                + (secret.chars().allMatch(HexFormat::isHexDigit) ? "" : ", not all of them hex"));
      }
      secrets.add(secret.toLowerCase(Locale.ROOT));
    }
    return options.bool("answer-cookie", true) ? new CookieOptions(secrets, require) : null;
  }

  private static TkeyOptions parseTkey(ConfigSource source) throws ConfigException {
    Json options = source.options();
    Name domain = options.domainName("tkey-domain");
    Json dhkey = options.object("tkey-dhkey");
    dhkey.allowOnly(java.util.Set.of("name", "file"));
    int maxLifetime = options.integer("tkey-max-lifetime", 3600, 60, 30 * 86400);
    int maxKeys = options.integer("tkey-max-keys", 1000, 1, 1_000_000);
    int maxKeysPerClient = options.integer("tkey-max-keys-per-client", 10, 1, 1_000_000);
    if (domain == null) {
      for (String tkeyOnly : List.of("tkey-dhkey", "tkey-max-keys", "tkey-max-keys-per-client")) {
        if (options.has(tkeyOnly)) {
          throw new ConfigException(options.key(tkeyOnly), "needs tkey-domain");
        }
      }
      return null;
    }
    Name name = dhkey.domainName("name");
    Path path = dhkey.string("file", null) == null ? null : source.readableFile(dhkey, "file");
    if (path != null && name == null) {
      throw new ConfigException(dhkey.key("name"), "is required with file");
    }
    return new TkeyOptions(
        domain.toString(),
        name == null ? "vxdns-dh." + domain : name.toString(),
        path,
        maxLifetime,
        maxKeys,
        maxKeysPerClient);
  }
}
