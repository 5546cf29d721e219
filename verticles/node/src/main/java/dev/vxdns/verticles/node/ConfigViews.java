package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.ServerIdentity;
import dev.vxdns.config.SessionKeyOptions;
import dev.vxdns.config.TsigKeySection;
import dev.vxdns.verticles.acl.AclSettings;
import dev.vxdns.verticles.admin.AdminSettings;
import dev.vxdns.verticles.auth.AuthSettings;
import dev.vxdns.verticles.extension.ExtensionSettings;
import dev.vxdns.verticles.forward.ForwardSettings;
import dev.vxdns.verticles.metrics.MetricsSettings;
import dev.vxdns.verticles.proxy.ProxySettings;
import dev.vxdns.verticles.rrl.RrlSettings;
import dev.vxdns.verticles.transport.TransportSettings;
import dev.vxdns.verticles.zone.ZoneSettings;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON a verticle's part was parsed from, to tell whether a new document changes that part.
 * Parsed settings hold compiled lists without {@code equals}, so the node compares the document's
 * sections instead: the keys the part claims ({@link ConfigKeys}) plus what every part may read
 * (the named {@code acl} lists, the {@code key} definitions, the DNS sizes, the server's identity,
 * {@code directory} and {@code geoip-directory}). Sharing is counted conservatively: a change to a
 * shared key replaces every verticle.
 */
final class ConfigViews {
  /** Read by any part: a change here replaces all. */
  private static final ConfigKeys SHARED =
      ConfigKeys.options("directory", "geoip-directory")
          .andOptions(DnsOptions.PART.keys().options().toArray(String[]::new))
          .andOptions(ServerIdentity.PART.keys().options().toArray(String[]::new))
          .andSections("acl")
          .andSections(TsigKeySection.PART.keys().sections().toArray(String[]::new));

  /** The stage verticles (and the control channel) by deployment name, in start order. */
  static final Map<String, ConfigKeys> STAGES = stages();

  /**
   * What every listener shares: the transport keys except {@code listen-on} (each listener's own
   * entry is compared as its {@code ListenerConfig}), the PROXY header bound and the blackhole
   * applied at accept.
   */
  static final ConfigKeys LISTENERS = listeners();

  private ConfigViews() {}

  private static Map<String, ConfigKeys> stages() {
    Map<String, ConfigKeys> stages = new LinkedHashMap<>();
    // First: the query log it publishes is there before any listener serves.
    stages.put("metrics", MetricsSettings.PART.keys());
    stages.put("zone", ZoneSettings.PART.keys());
    // A clustered node's part in the hand-over (cluster.role, read at start like the section).
    stages.put("zone-service", ConfigKeys.NONE);
    stages.put("edge", ConfigKeys.NONE);
    stages.put("auth", AuthSettings.PART.keys());
    stages.put("acl", AclSettings.PART.keys());
    stages.put("rrl", RrlSettings.PART.keys());
    stages.put("forward", ForwardSettings.PART.keys());
    stages.put("proxy", ProxySettings.PART.keys());
    stages.put("extensions", ExtensionSettings.PART.keys());
    stages.put("bridge", ExtensionSettings.PART.keys());
    stages.put("admin", AdminSettings.PART.keys());
    return java.util.Collections.unmodifiableMap(stages);
  }

  private static ConfigKeys listeners() {
    ConfigKeys transport = TransportSettings.PART.keys();
    Set<String> options = new TreeSet<>(transport.options());
    options.remove("listen-on");
    options.add("proxy-max-header-size");
    options.add("blackhole");
    return new ConfigKeys(transport.sections(), options, transport.zone());
  }

  /** The part of {@code document} that {@code keys} (and the shared keys) cover. */
  static JsonObject view(JsonObject document, ConfigKeys keys) {
    JsonObject view = new JsonObject();
    JsonObject options = document.getJsonObject("options", new JsonObject());
    JsonObject zones = document.getJsonObject("zone", new JsonObject());
    for (ConfigKeys part : java.util.List.of(keys, SHARED)) {
      for (String section : part.sections()) {
        view.put("section:" + section, document.getValue(section));
      }
      for (String option : part.options()) {
        view.put("option:" + option, options.getValue(option));
      }
    }
    if (keys.options().contains("session-keyfile")) {
      // Made only while a zone needs it: a zone that starts or stops needing it changes the part.
      view.put("session-key-needed", SessionKeyOptions.needed(document));
    }
    if (!keys.zone().isEmpty()) {
      JsonObject zoneView = new JsonObject();
      for (String name : new TreeSet<>(zones.fieldNames())) {
        JsonObject entry =
            zones.getValue(name) instanceof JsonObject object ? object : new JsonObject();
        JsonObject claimed = new JsonObject();
        for (String key : new TreeSet<>(keys.zone())) {
          claimed.put(key, entry.getValue(key));
        }
        zoneView.put(name, claimed);
      }
      view.put("zones", zoneView);
    }
    return view;
  }

  /**
   * The zones (canonical names) whose entries differ between two documents and exist in both; null
   * when something other than the zone entries changed in the zone part (a key under {@code
   * options} every zone inherits, {@code whoami}, a shared key): then every zone is affected.
   */
  static java.util.Set<org.xbill.DNS.Name> changedZones(
      JsonObject before, JsonObject after, ConfigKeys keys) {
    JsonObject viewBefore = view(before, keys);
    JsonObject viewAfter = view(after, keys);
    JsonObject zonesBefore = (JsonObject) viewBefore.remove("zones");
    JsonObject zonesAfter = (JsonObject) viewAfter.remove("zones");
    if (!viewBefore.equals(viewAfter) || zonesBefore == null || zonesAfter == null) {
      return null;
    }
    java.util.Set<org.xbill.DNS.Name> changed = new java.util.HashSet<>();
    for (String name : zonesBefore.fieldNames()) {
      if (zonesAfter.containsKey(name)
          && !zonesBefore.getValue(name).equals(zonesAfter.getValue(name))) {
        try {
          changed.add(org.xbill.DNS.Name.fromString(name, org.xbill.DNS.Name.root));
        } catch (org.xbill.DNS.TextParseException e) {
          return null; // validated already; never here
        }
      }
    }
    return changed;
  }

  static boolean changed(JsonObject before, JsonObject after, ConfigKeys keys) {
    return !view(before, keys).equals(view(after, keys));
  }
}
