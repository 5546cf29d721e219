package dev.vxdns.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * How the server names itself when asked, as BIND 9.20's options of the same names: the TXT record
 * of {@code version.bind}, {@code hostname.bind} and {@code id.server} in class CH, and the NSID
 * option (RFC 5001) of responses to queries that ask for it. An anycast operator sets {@code
 * server-id} to tell the nodes behind one address apart; {@code "version": "none"} keeps the
 * version to itself.
 *
 * @param version {@code version}: version.bind's text, or null for none; by default this build's
 * @param hostname {@code hostname}: hostname.bind's text, or null for none; by default the
 *     machine's host name
 * @param serverId {@code server-id}: id.server's text and the NSID, or null for none (the default);
 *     {@code "hostname"} is the machine's host name
 */
public record ServerIdentity(String version, String hostname, String serverId) {
  /** The kernel's host name, as BIND's gethostname() reads it, without a lookup. */
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  /** A TXT character-string holds at most 255 octets. */
  private static final int MAX_OCTETS = 255;

  /**
   * BIND 9.20's built-in CH zones, each answering its own TXT (authors.bind is empty now): asked in
   * class CH, a name at or below one of them is answered by the node itself, never forwarded.
   */
  public static final List<Name> CHAOS_ZONES =
      List.of(
          Name.fromConstantString("version.bind."),
          Name.fromConstantString("hostname.bind."),
          Name.fromConstantString("id.server."),
          Name.fromConstantString("authors.bind."));

  /** The built-in CH zone {@code name} is at or below, or null. */
  public static Name chaosZoneOf(Name name) {
    for (Name zone : CHAOS_ZONES) {
      if (name.subdomain(zone)) {
        return zone;
      }
    }
    return null;
  }

  /** The TXT text of a built-in CH zone's apex, or null when it has none. */
  public String textOf(Name chaosZone) {
    return switch (CHAOS_ZONES.indexOf(chaosZone)) {
      case 0 -> version;
      case 1 -> hostname;
      case 2 -> serverId;
      default -> null;
    };
  }

  public static final ConfigPart<ServerIdentity> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("version", "hostname", "server-id");
        }

        @Override
        public ServerIdentity parse(ConfigSource source) throws ConfigException {
          Json options = source.options();
          String machine = machineHostname();
          String serverId = text(options, "server-id", null);
          return new ServerIdentity(
              text(options, "version", "vxdns " + BuildVersion.VERSION),
              text(options, "hostname", machine),
              "hostname".equalsIgnoreCase(serverId) ? machine : serverId);
        }
      };

  /** The option's text; null for "none" (BIND's keyword), {@code fallback} when it is not set. */
  private static String text(Json options, String key, String fallback) throws ConfigException {
    String text = options.string(key, fallback);
    if (text == null || text.equalsIgnoreCase("none")) {
      return null;
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_OCTETS) {
      throw new ConfigException(options.key(key), "at most " + MAX_OCTETS + " octets");
    }
    return text;
  }

  private static String machineHostname() {
    try {
      String name = Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
      return name.isEmpty() ? null : name;
    } catch (IOException | SecurityException unreadable) {
      return null;
    }
  }
}
