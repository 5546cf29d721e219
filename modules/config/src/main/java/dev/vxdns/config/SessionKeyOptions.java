package dev.vxdns.config;

import dev.vxdns.auth.TsigAlgorithm;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.xbill.DNS.Name;

/**
 * BIND's session key for {@code update-policy local} ({@code nsupdate -l}): when a zone has that
 * policy, the node makes a TSIG key at start, writes it to {@code session-keyfile} and accepts
 * updates signed with it from this host's own addresses. The zone stage reads the key's name (its
 * policy grants that key), the auth stage makes and writes the key.
 *
 * @param file {@code session-keyfile}, relative to the config's directory; default {@code
 *     session.key} there (BIND: {@code /var/run/named/session.key}, which is {@code nsupdate -l}'s
 *     default: point it there, or give {@code nsupdate -l -k FILE})
 * @param name {@code session-keyname}, default {@code local-ddns}
 * @param algorithm {@code session-keyalg}, default hmac-sha256
 * @param needed whether a zone has {@code "update-policy": "local"}: only then is a key made
 */
public record SessionKeyOptions(Path file, Name name, TsigAlgorithm algorithm, boolean needed) {
  /** The {@code update-policy} value that grants the session key the whole zone. */
  public static final String LOCAL_POLICY = "local";

  /**
   * Whether a zone of {@code document} has {@code "update-policy": "local"}: what a part that reads
   * these options also depends on (a reload that adds such a zone needs the key made).
   */
  public static boolean needed(JsonObject document) {
    Object zones = document.getValue("zone");
    if (zones instanceof JsonObject entries) {
      for (String name : entries.fieldNames()) {
        if (entries.getValue(name) instanceof JsonObject zone
            && LOCAL_POLICY.equals(zone.getValue("update-policy"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The same from the zones a source has already split out, without copying the document. */
  private static boolean needed(ConfigSource source) {
    for (ConfigSource.ZoneEntry zone : source.zones()) {
      if (LOCAL_POLICY.equals(zone.entry().plain("update-policy"))) {
        return true;
      }
    }
    return false;
  }

  public static final ConfigPart<SessionKeyOptions> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("session-keyfile", "session-keyname", "session-keyalg");
        }

        @Override
        public SessionKeyOptions parse(ConfigSource source) throws ConfigException {
          Json options = source.options();
          Name name = options.domainName("session-keyname");
          String algorithmName = options.string("session-keyalg", "hmac-sha256");
          TsigAlgorithm algorithm =
              TsigAlgorithm.fromBindName(algorithmName)
                  .filter(known -> known != TsigAlgorithm.HMAC_MD5)
                  .orElseThrow(
                      () ->
                          new ConfigException(
                              options.key("session-keyalg"),
                              "must be one of hmac-sha1, hmac-sha224, hmac-sha256, hmac-sha384,"
                                  + " hmac-sha512, not "
                                  + algorithmName));
          return new SessionKeyOptions(
              source
                  .directory()
                  .resolve(options.string("session-keyfile", "session.key"))
                  .normalize(),
              name == null ? Name.fromConstantString("local-ddns.") : name,
              algorithm,
              needed(source));
        }
      };
}
