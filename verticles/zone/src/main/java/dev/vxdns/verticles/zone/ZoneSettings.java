package dev.vxdns.verticles.zone;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import dev.vxdns.config.ServerIdentity;
import dev.vxdns.config.SessionKeyOptions;
import dev.vxdns.config.TsigKeySection;
import dev.vxdns.journal.JournalSizes;
import dev.vxdns.secondary.Primary;
import dev.vxdns.secondary.RefreshLimits;
import dev.vxdns.secondary.SourceAddresses;
import dev.vxdns.secondary.TlsTrust;
import dev.vxdns.secondary.TransferLimits;
import dev.vxdns.update.SerialUpdateMethod;
import dev.vxdns.update.UpdatePolicy;
import dev.vxdns.update.UpdatePolicyException;
import dev.vxdns.verticles.zone.ZoneConfig.NotifyMode;
import dev.vxdns.verticles.zone.ZoneConfig.Target;
import dev.vxdns.verticles.zone.ZoneConfig.ZoneType;
import dev.vxdns.zone.CheckNames;
import dev.vxdns.zone.MinimalResponses;
import dev.vxdns.zone.ZoneRules;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The zone engine's part of the configuration: the served zones, how they change (updates, journal,
 * NOTIFY, primaries), the {@code whoami} name and BIND's built-in CH zones.
 *
 * @param whoami the CH TXT name answering the client's effective address, or null ({@code whoami})
 * @param identity what version.bind, hostname.bind and id.server answer, or null for no built-in CH
 *     zones (tests)
 * @param transfers the node-wide transfer options ({@link TransferOptions})
 * @param minimalResponses which positive answers carry the zone's NS RRset and additional addresses
 *     ({@code minimal-responses}, BIND's default {@code no-auth-recursive})
 */
public record ZoneSettings(
    List<ZoneConfig> zones,
    Name whoami,
    ServerIdentity identity,
    DnsOptions dns,
    TransferOptions transfers,
    MinimalResponses minimalResponses) {
  public ZoneSettings {
    zones = List.copyOf(zones);
  }

  /** Keys a zone may set and {@code options} may default for every zone. */
  private static final String[] INHERITED = {
    "serial-update-method",
    "max-journal-size",
    "sync-interval",
    "notify",
    "notify-to-soa",
    "also-notify",
    "notify-source",
    "notify-source-v6",
    "notify-delay",
    "transfer-source",
    "transfer-source-v6",
    "max-records-per-type",
    "max-types-per-name",
    "max-records",
    "max-ixfr-ratio",
    "request-ixfr",
    "min-refresh-time",
    "max-refresh-time",
    "min-retry-time",
    "max-retry-time",
    "max-transfer-time-in",
    "max-transfer-idle-in",
    "min-transfer-rate-in",
    "ixfr-from-differences",
    "check-integrity"
  };

  /** The longest refresh or retry bound: 24 weeks, BIND's longest EXPIRE. */
  private static final int MAX_TIME = 14_515_200;

  public static final ConfigPart<ZoneSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          // session-keyname: update-policy local grants that key (the auth stage makes it).
          return ConfigKeys.options("whoami", "check-names", "session-keyname", "minimal-responses")
              .andOptions(TransferOptions.KEYS)
              .andOptions(INHERITED)
              .andZone(INHERITED)
              .andZone("check-names")
              .andZone("type", "file", "journal", "update-policy", "primaries");
        }

        @Override
        public ZoneSettings parse(ConfigSource source) throws ConfigException {
          TsigKeySection keys = source.parse(TsigKeySection.PART);
          Json options = source.options();
          // Checked even without zones, as BIND checks its options.
          Defaults defaults = defaults(options, keys, source.parse(SessionKeyOptions.PART).name());
          List<ZoneConfig> zones = new ArrayList<>();
          for (ConfigSource.ZoneEntry zone : source.zones()) {
            if (ConfigSource.isForward(zone.entry())) {
              continue; // the forward stage's (verticles/forward)
            }
            zones.add(parseZone(source, zone, keys, defaults));
          }
          return new ZoneSettings(
              zones,
              source.options().domainName("whoami"),
              source.parse(ServerIdentity.PART),
              source.parse(DnsOptions.PART),
              TransferOptions.parse(options),
              minimalResponses(options));
        }
      };

  /** The {@link #INHERITED} keys as {@code options} sets them for every zone. */
  private record Defaults(
      SerialUpdateMethod serialUpdateMethod,
      long maxJournalBytes,
      Duration syncInterval,
      NotifyMode notifyMode,
      boolean notifyToSoa,
      List<Target> alsoNotify,
      SourceAddresses notifySource,
      Duration notifyDelay,
      SourceAddresses transferSource,
      int maxRecordsPerType,
      int maxTypesPerName,
      int maxRecords,
      int maxIxfrRatio,
      boolean requestIxfr,
      RefreshLimits refreshLimits,
      TransferLimits transferLimits,
      IxfrFromDifferences ixfrFromDifferences,
      boolean checkIntegrity,
      CheckNames.Mode primaryCheckNames,
      CheckNames.Mode secondaryCheckNames,
      Name sessionKeyName) {}

  private static Defaults defaults(Json options, TsigKeySection keys, Name sessionKeyName)
      throws ConfigException {
    return new Defaults(
        serialUpdateMethod(options),
        maxJournalBytes(options),
        syncInterval(options),
        notifyMode(options),
        options.bool("notify-to-soa", false),
        targets(options, keys),
        sources(options, "notify-source", SourceAddresses.ANY),
        notifyDelay(options, DEFAULT_NOTIFY_DELAY),
        sources(options, "transfer-source", SourceAddresses.ANY),
        maxRecordsPerType(options, ZoneRules.BIND_PRIMARY.maxRecordsPerType()),
        maxTypesPerName(options, ZoneRules.BIND_PRIMARY.maxTypesPerName()),
        maxRecords(options, ZoneRules.BIND_PRIMARY.maxRecords()),
        maxIxfrRatio(options, ZoneConfig.DEFAULT_MAX_IXFR_RATIO),
        options.bool("request-ixfr", true),
        refreshLimits(options, RefreshLimits.BIND),
        transferLimits(options, TransferLimits.defaults()),
        ixfrFromDifferences(options, IxfrFromDifferences.OFF),
        options.bool("check-integrity", true),
        checkNames(options, "primary", "master", ZoneRules.BIND_PRIMARY.checkNames()),
        checkNames(options, "secondary", "slave", ZoneRules.BIND_SECONDARY.checkNames()),
        sessionKeyName);
  }

  /** BIND's {@code minimal-responses}: yes, no (or booleans), no-auth or no-auth-recursive. */
  private static MinimalResponses minimalResponses(Json options) throws ConfigException {
    Object value = options.plain("minimal-responses");
    try {
      return value == null
          ? MinimalResponses.NO_AUTH_RECURSIVE
          : MinimalResponses.parse(value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(options.key("minimal-responses"), e.getMessage());
    }
  }

  /**
   * BIND's {@code check-names primary|secondary fail|warn|ignore} in {@code options}, as an object
   * ({@code {"primary": "fail", "secondary": "warn"}}); the older names are accepted as in BIND.
   */
  private static CheckNames.Mode checkNames(
      Json options, String type, String synonym, CheckNames.Mode fallback) throws ConfigException {
    Json modes = options.object("check-names");
    modes.allowOnly(Set.of("primary", "master", "secondary", "slave"));
    String key = modes.has(type) ? type : synonym;
    return checkNamesMode(modes, key, fallback);
  }

  private static CheckNames.Mode checkNamesMode(Json where, String key, CheckNames.Mode fallback)
      throws ConfigException {
    String text = where.string(key, null);
    try {
      return text == null ? fallback : CheckNames.Mode.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where.key(key), e.getMessage());
    }
  }

  /** BIND's {@code max-records-per-type}: 0 for no limit. */
  private static int maxRecordsPerType(Json where, int inherited) throws ConfigException {
    return where.integer("max-records-per-type", inherited, 0, Integer.MAX_VALUE);
  }

  /** BIND's {@code max-records}, the records a transfer or an update may leave: 0 for no limit. */
  private static int maxRecords(Json where, int inherited) throws ConfigException {
    return where.integer("max-records", inherited, 0, Integer.MAX_VALUE);
  }

  /**
   * BIND's {@code max-ixfr-ratio}: {@code "unlimited"} (0 here) or a percentage such as {@code
   * "100%"}, BIND's default.
   */
  private static int maxIxfrRatio(Json where, int inherited) throws ConfigException {
    String text = where.string("max-ixfr-ratio", null);
    if (text == null) {
      return inherited;
    }
    if (text.equals("unlimited")) {
      return 0;
    }
    int percent = text.matches("[0-9]{1,9}%") ? Integer.parseInt(text.replace("%", "")) : 0;
    if (percent > 0) {
      return percent;
    }
    throw new ConfigException(
        where.key("max-ixfr-ratio"),
        "must be unlimited or a percentage of at least 1% (\"100%\"), not " + text);
  }

  /**
   * BIND's {@code min-refresh-time}, {@code max-refresh-time}, {@code min-retry-time} and {@code
   * max-retry-time} (seconds), each from {@code where} or else {@code inherited}.
   */
  private static RefreshLimits refreshLimits(Json where, RefreshLimits inherited)
      throws ConfigException {
    long minRefresh = where.integer("min-refresh-time", (int) inherited.minRefresh(), 1, MAX_TIME);
    long maxRefresh = where.integer("max-refresh-time", (int) inherited.maxRefresh(), 1, MAX_TIME);
    long minRetry = where.integer("min-retry-time", (int) inherited.minRetry(), 1, MAX_TIME);
    long maxRetry = where.integer("max-retry-time", (int) inherited.maxRetry(), 1, MAX_TIME);
    if (maxRefresh < minRefresh) {
      throw new ConfigException(
          where.key("max-refresh-time"), "is below min-refresh-time (" + minRefresh + ")");
    }
    if (maxRetry < minRetry) {
      throw new ConfigException(
          where.key("max-retry-time"), "is below min-retry-time (" + minRetry + ")");
    }
    return new RefreshLimits(minRefresh, maxRefresh, minRetry, maxRetry);
  }

  /**
   * BIND's {@code max-transfer-time-in} and {@code max-transfer-idle-in} (minutes) and {@code
   * min-transfer-rate-in}, each from {@code where} or else {@code inherited}.
   */
  private static TransferLimits transferLimits(Json where, TransferLimits inherited)
      throws ConfigException {
    return inherited
        .withTimes(
            where.transferMinutes("max-transfer-time-in", inherited.maxTransferTime()),
            where.transferMinutes("max-transfer-idle-in", inherited.maxIdleTime()))
        .withMinRate(minTransferRate(where, inherited.minRate()));
  }

  /**
   * BIND's {@code min-transfer-rate-in BYTES MINUTES} as {@code {"bytes": 10240, "minutes": 5}}
   * (both required, as in named).
   */
  private static TransferLimits.MinRate minTransferRate(
      Json where, TransferLimits.MinRate inherited) throws ConfigException {
    if (!where.has("min-transfer-rate-in")) {
      return inherited;
    }
    Json rate = where.object("min-transfer-rate-in");
    rate.allowOnly(Set.of("bytes", "minutes"));
    for (String key : List.of("bytes", "minutes")) {
      if (!rate.has(key)) {
        throw new ConfigException(rate.key(key), "is required");
      }
    }
    int bytes = rate.integer("bytes", 0, 1, Integer.MAX_VALUE);
    return new TransferLimits.MinRate(bytes, rate.transferMinutes("minutes", inherited.interval()));
  }

  /** The zones BIND's {@code ixfr-from-differences} is on for: primary zones, secondary zones. */
  private record IxfrFromDifferences(boolean primaries, boolean secondaries) {
    static final IxfrFromDifferences OFF = new IxfrFromDifferences(false, false);

    boolean isOnFor(ZoneType type) {
      return type == ZoneType.PRIMARY ? primaries : secondaries;
    }
  }

  /**
   * BIND's {@code ixfr-from-differences}: yes or no, or (as named's {@code options} takes it) only
   * for primary zones ({@code primary}, also {@code master}) or only for secondary zones ({@code
   * secondary}, {@code slave}).
   */
  private static IxfrFromDifferences ixfrFromDifferences(Json where, IxfrFromDifferences inherited)
      throws ConfigException {
    if (!where.has("ixfr-from-differences")) {
      return inherited;
    }
    Object value = where.plain("ixfr-from-differences");
    if (value instanceof String word) {
      switch (word) {
        case "primary", "master":
          return new IxfrFromDifferences(true, false);
        case "secondary", "slave":
          return new IxfrFromDifferences(false, true);
        default:
          break;
      }
    }
    try {
      boolean on = where.bool("ixfr-from-differences", false);
      return new IxfrFromDifferences(on, on);
    } catch (ConfigException e) {
      throw new ConfigException(
          where.key("ixfr-from-differences"), "must be yes, no, primary or secondary");
    }
  }

  /** BIND's {@code max-types-per-name}: 0 for no limit. */
  private static int maxTypesPerName(Json where, int inherited) throws ConfigException {
    return where.integer("max-types-per-name", inherited, 0, Integer.MAX_VALUE);
  }

  /** BIND 9.20's {@code notify-delay} default. */
  private static final Duration DEFAULT_NOTIFY_DELAY = Duration.ofSeconds(5);

  /** BIND's {@code notify-delay}, seconds: 0 for none. */
  private static Duration notifyDelay(Json where, Duration inherited) throws ConfigException {
    return Duration.ofSeconds(
        where.integer("notify-delay", (int) inherited.toSeconds(), 0, MAX_TIME));
  }

  private static Duration syncInterval(Json where) throws ConfigException {
    return Duration.ofSeconds(where.integer("sync-interval", 900, 1, 86400));
  }

  private static ZoneConfig parseZone(
      ConfigSource source, ConfigSource.ZoneEntry zone, TsigKeySection keys, Defaults defaults)
      throws ConfigException {
    Json entry = zone.entry();
    ZoneType type = type(entry);
    List<Primary> primaries = new ArrayList<>();
    for (Json primary : entry.objects("primaries")) {
      primaries.add(primary(source, primary, keys));
    }
    Path file;
    if (type == ZoneType.PRIMARY) {
      if (!primaries.isEmpty()) {
        throw new ConfigException(entry.key("primaries"), "is only for type secondary");
      }
      file = source.readableFile(entry, "file");
    } else {
      if (primaries.isEmpty()) {
        throw new ConfigException(entry.key("primaries"), "a secondary zone needs primaries");
      }
      String name = entry.string("file", null);
      file = name == null ? null : source.directory().resolve(name).normalize();
    }
    boolean local = SessionKeyOptions.LOCAL_POLICY.equals(entry.plain("update-policy"));
    List<String> rules =
        local ? List.of(SessionKeyOptions.LOCAL_POLICY) : entry.strings("update-policy", List.of());
    if (!rules.isEmpty() && type != ZoneType.PRIMARY) {
      throw new ConfigException(entry.key("update-policy"), "is only for type primary");
    }
    if (!rules.isEmpty() && entry.has("allow-update")) {
      throw new ConfigException(
          entry.key("update-policy"), "cannot be used together with allow-update, as in BIND");
    }
    String journalName = entry.string("journal", null);
    Path journal =
        journalName != null
            ? source.directory().resolve(journalName).normalize()
            : file == null ? null : Path.of(file + ".jnl");
    UpdatePolicy updatePolicy = null;
    if (!rules.isEmpty()) {
      try {
        Name origin = Name.fromString(zone.name());
        updatePolicy =
            local
                ? UpdatePolicy.local(defaults.sessionKeyName(), origin)
                : UpdatePolicy.parse(rules, origin);
      } catch (UpdatePolicyException | TextParseException e) {
        throw new ConfigException(entry.key("update-policy"), e.getMessage());
      }
    }
    return new ZoneConfig(
        zone.name(),
        type,
        file,
        journal,
        updatePolicy,
        entry.has("serial-update-method")
            ? serialUpdateMethod(entry)
            : defaults.serialUpdateMethod(),
        entry.has("max-journal-size") ? maxJournalBytes(entry) : defaults.maxJournalBytes(),
        entry.has("sync-interval") ? syncInterval(entry) : defaults.syncInterval(),
        (entry.has("notify") ? notifyMode(entry) : defaults.notifyMode()).forType(type),
        entry.bool("notify-to-soa", defaults.notifyToSoa()),
        entry.has("also-notify") ? targets(entry, keys) : defaults.alsoNotify(),
        sources(entry, "notify-source", defaults.notifySource()),
        notifyDelay(entry, defaults.notifyDelay()),
        primaries,
        sources(entry, "transfer-source", defaults.transferSource()),
        maxIxfrRatio(entry, defaults.maxIxfrRatio()),
        entry.bool("request-ixfr", defaults.requestIxfr()),
        refreshLimits(entry, defaults.refreshLimits()),
        transferLimits(entry, defaults.transferLimits()),
        ixfrFromDifferences(entry, defaults.ixfrFromDifferences()).isOnFor(type),
        new ZoneRules(
            maxRecordsPerType(entry, defaults.maxRecordsPerType()),
            maxTypesPerName(entry, defaults.maxTypesPerName()),
            maxRecords(entry, defaults.maxRecords()),
            checkNamesMode(
                entry,
                "check-names",
                type == ZoneType.PRIMARY
                    ? defaults.primaryCheckNames()
                    : defaults.secondaryCheckNames()),
            entry.bool("check-integrity", defaults.checkIntegrity())));
  }

  private static ZoneType type(Json entry) throws ConfigException {
    String type = entry.string("type", "primary");
    switch (type) {
      case "primary", "master":
        return ZoneType.PRIMARY;
      case "secondary", "slave":
        return ZoneType.SECONDARY;
      default:
        throw new ConfigException(
            entry.key("type"), "must be primary, secondary or forward, not " + type);
    }
  }

  private static SerialUpdateMethod serialUpdateMethod(Json where) throws ConfigException {
    try {
      return SerialUpdateMethod.parse(where.string("serial-update-method", "increment"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where.key("serial-update-method"), e.getMessage());
    }
  }

  /** BIND's size spec ({@link JournalSizes#parse}); default: twice the zone's size, as BIND. */
  private static long maxJournalBytes(Json where) throws ConfigException {
    Object value = where.plain("max-journal-size");
    try {
      return value == null ? JournalSizes.DEFAULT : JournalSizes.parse(value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where.key("max-journal-size"), e.getMessage());
    }
  }

  private static NotifyMode notifyMode(Json where) throws ConfigException {
    Object value = where.plain("notify");
    if (value == null) {
      return NotifyMode.YES;
    }
    String text = value.toString();
    switch (text) {
      case "true", "yes":
        return NotifyMode.YES;
      case "explicit":
        return NotifyMode.EXPLICIT;
      case "false", "no":
        return NotifyMode.NO;
      case "primary-only", "master-only":
        return NotifyMode.PRIMARY_ONLY;
      default:
        throw new ConfigException(
            where.key("notify"), "must be yes, explicit, primary-only or no, not " + text);
    }
  }

  /** {@code also-notify}: address strings, or objects {address, port, key}. */
  private static List<Target> targets(Json where, TsigKeySection keys) throws ConfigException {
    List<Target> targets = new ArrayList<>();
    for (Json item : where.objectsOrStrings("also-notify", "address")) {
      item.allowOnly(Set.of("address", "port", "key"));
      targets.add(
          new Target(
              new InetSocketAddress(item.address("address"), item.integer("port", 53, 1, 65535)),
              keys.named(item, "key")));
    }
    return targets;
  }

  /**
   * BIND's {@code KEY} and {@code KEY-v6} ({@code notify-source}, {@code transfer-source}): an IPv4
   * and an IPv6 address literal, or {@code "*"} for the system's choice (which a zone may set to
   * undo the options'); each from {@code where} or else {@code inherited}.
   */
  private static SourceAddresses sources(Json where, String key, SourceAddresses inherited)
      throws ConfigException {
    return new SourceAddresses(
        source(where, key, Inet4Address.class, "an IPv4", inherited.v4()),
        source(where, key + "-v6", Inet6Address.class, "an IPv6", inherited.v6()));
  }

  private static <A extends InetAddress> A source(
      Json where, String key, Class<A> family, String familyName, A inherited)
      throws ConfigException {
    if (!where.has(key)) {
      return inherited;
    }
    if ("*".equals(where.plain(key))) {
      return null;
    }
    InetAddress address = where.address(key);
    if (!family.isInstance(address)) {
      throw new ConfigException(
          where.key(key), "must be " + familyName + " address or *, not " + where.plain(key));
    }
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      throw new ConfigException(
          where.key(key),
          "must be one of this host's addresses (or * for the system's choice), not "
              + where.plain(key));
    }
    return family.cast(address);
  }

  private static Primary primary(ConfigSource source, Json primary, TsigKeySection keys)
      throws ConfigException {
    primary.allowOnly(Set.of("address", "port", "key", "transport", "ca-file", "remote-hostname"));
    String transport = primary.string("transport", "tcp");
    if (!transport.equals("tcp") && !transport.equals("tls")) {
      throw new ConfigException(primary.key("transport"), "must be tcp or tls, not " + transport);
    }
    boolean tls = transport.equals("tls");
    if (!tls && (primary.has("ca-file") || primary.has("remote-hostname"))) {
      throw new ConfigException(primary.key("transport"), "ca-file and remote-hostname need tls");
    }
    InetSocketAddress address =
        new InetSocketAddress(
            primary.address("address"), primary.integer("port", tls ? 853 : 53, 1, 65535));
    if (!tls) {
      return Primary.tcp(address, keys.named(primary, "key"));
    }
    Path caFile = primary.has("ca-file") ? source.readableFile(primary, "ca-file") : null;
    return Primary.tls(
        address,
        keys.named(primary, "key"),
        new TlsTrust(
            caFile == null ? null : caFile.toString(), primary.string("remote-hostname", null)));
  }
}
