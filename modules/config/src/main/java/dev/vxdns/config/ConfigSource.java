package dev.vxdns.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * One configuration document being parsed, what every {@link ConfigPart} reads from: the {@code
 * options} object, the folder relative paths resolve against, the named {@code acl} lists and their
 * compiler, and the {@code zone} entries with their validated names. Built once per load; each part
 * then parses its own keys from it.
 */
public final class ConfigSource {
  /** What the source itself reads, whichever parts there are. */
  public static final ConfigKeys KEYS =
      ConfigKeys.options("directory", "geoip-directory").andSections("options", "acl", "zone");

  private static final Pattern ZONE_NAME =
      Pattern.compile("^(\\.|([A-Za-z0-9_*-]{1,63}\\.)*[A-Za-z0-9_*-]{1,63}\\.?)$");

  private final JsonObject json;
  private final Json root;
  private final Json options;
  private final Path directory;
  private final Path tlsGeneratedDirectory;
  private final Acls acls;
  private final List<ZoneEntry> zones;

  private ConfigSource(
      JsonObject json,
      Json root,
      Json options,
      Path directory,
      Path tlsGeneratedDirectory,
      Acls acls,
      List<ZoneEntry> zones) {
    this.json = json;
    this.root = root;
    this.options = options;
    this.directory = directory;
    this.tlsGeneratedDirectory = tlsGeneratedDirectory;
    this.acls = acls;
    this.zones = List.copyOf(zones);
  }

  /**
   * A zone of the {@code zone} object: its canonical name (with the trailing dot) and its entry.
   */
  public record ZoneEntry(String name, Json entry) {}

  /**
   * The source of {@code json}, without checking for keys no part claims (for a part's own tests).
   *
   * @param configDirectory the folder of the config file: relative paths resolve against it unless
   *     {@code options.directory} says otherwise
   */
  public static ConfigSource of(JsonObject json, Path configDirectory) throws ConfigException {
    return of(json, configDirectory, null);
  }

  /**
   * @param tlsGeneratedDirectory where the reserved {@code tls "ephemeral"} keeps its files; null
   *     for its default place under the config's directory (the launcher's embedded default config
   *     sits in a temporary folder and moves it)
   */
  public static ConfigSource of(JsonObject json, Path configDirectory, Path tlsGeneratedDirectory)
      throws ConfigException {
    Json root = new Json(json, "");
    Json options = root.object("options");
    Path directory = resolveDirectory(options, configDirectory);
    String geoip = options.string("geoip-directory", null);
    Acls acls =
        Acls.parse(
            root.object("acl"),
            geoip == null ? null : directory.resolve(geoip).normalize(),
            options.key("geoip-directory"));
    try {
      return new ConfigSource(
          json.copy(),
          root,
          options,
          directory,
          tlsGeneratedDirectory == null ? null : tlsGeneratedDirectory.toAbsolutePath().normalize(),
          acls,
          zoneEntries(root.object("zone")));
    } catch (ConfigException e) {
      acls.environment().closeGeoip();
      throw e;
    }
  }

  /**
   * The source of {@code json} once every top-level key, {@code options} key and zone key is
   * claimed by one of {@code parts} (or by the source itself); the first one that is not fails,
   * with the keys known there.
   */
  public static ConfigSource checked(
      JsonObject json,
      Path configDirectory,
      Path tlsGeneratedDirectory,
      Collection<ConfigKeys> parts)
      throws ConfigException {
    List<ConfigKeys> all = new ArrayList<>(parts);
    all.add(KEYS);
    ConfigKeys known = ConfigKeys.of(all);
    Json root = new Json(json, "");
    root.allowOnly(known.sections());
    root.object("options").allowOnly(known.options());
    Json zones = root.object("zone");
    for (String name : new TreeSet<>(zones.fieldNames())) {
      zones.object(name).allowOnly(known.zone());
    }
    return of(json, configDirectory, tlsGeneratedDirectory);
  }

  /** Parses one part from this source. */
  public <T> T parse(ConfigPart<T> part) throws ConfigException {
    return part.parse(this);
  }

  /** The whole document, as read. */
  public JsonObject json() {
    return json.copy();
  }

  /** The top level, for parts that own a section ({@code key}, {@code controls}, ...). */
  public Json root() {
    return root;
  }

  public Json options() {
    return options;
  }

  /** Where relative paths resolve: {@code options.directory}, else the config file's folder. */
  public Path directory() {
    return directory;
  }

  /**
   * Where the launcher moved the reserved {@code tls "ephemeral"} certificate, or null for its
   * default place under {@link #directory()}.
   */
  public Path tlsGeneratedDirectory() {
    return tlsGeneratedDirectory;
  }

  /** The named {@code acl} lists, and the compiler of every address-match-list option. */
  public Acls acls() {
    return acls;
  }

  /** The {@code zone} entries in name order, names validated and unique. */
  public List<ZoneEntry> zones() {
    return zones;
  }

  /**
   * Whether a zone entry is of {@code type: forward} (the forward stage's, not the zone engine's).
   */
  public static boolean isForward(Json entry) throws ConfigException {
    return "forward".equals(entry.string("type", "primary"));
  }

  /** Whether a zone entry is of {@code type: secondary} (or BIND's older {@code slave}). */
  public static boolean isSecondary(Json entry) throws ConfigException {
    return List.of("secondary", "slave").contains(entry.string("type", "primary"));
  }

  /** Whether any zone forwards: the forward stage then joins the built-in pipeline. */
  public boolean forwards() throws ConfigException {
    for (ZoneEntry zone : zones) {
      if (isForward(zone.entry())) {
        return true;
      }
    }
    return false;
  }

  /** The readable file named under {@code key}, resolved against {@link #directory()}. */
  public Path readableFile(Json object, String key) throws ConfigException {
    Path file = directory.resolve(object.requiredString(key)).normalize();
    if (!Files.isReadable(file)) {
      throw new ConfigException(object.key(key), "cannot read " + file);
    }
    return file;
  }

  private static Path resolveDirectory(Json options, Path configDirectory) throws ConfigException {
    String configured = options.string("directory", null);
    Path base = configDirectory.toAbsolutePath().normalize();
    if (configured == null) {
      return base;
    }
    Path directory = base.resolve(configured).normalize();
    if (!Files.isDirectory(directory)) {
      throw new ConfigException(options.key("directory"), "no such directory " + directory);
    }
    return directory;
  }

  private static List<ZoneEntry> zoneEntries(Json zones) throws ConfigException {
    List<ZoneEntry> result = new ArrayList<>();
    Set<Name> seen = new java.util.HashSet<>();
    for (String name : new TreeSet<>(zones.fieldNames())) {
      if (!ZONE_NAME.matcher(name).matches()) {
        throw new ConfigException(zones.key(name), "is not a valid zone name");
      }
      String canonical = name.endsWith(".") ? name : name + ".";
      try {
        if (!seen.add(Name.fromString(canonical))) {
          throw new ConfigException(zones.key(name), "zone " + canonical + " is configured twice");
        }
      } catch (TextParseException e) {
        throw new ConfigException(zones.key(name), "is not a valid zone name: " + e.getMessage());
      }
      result.add(new ZoneEntry(canonical, zones.object(name)));
    }
    return result;
  }
}
