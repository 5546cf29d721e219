package dev.vxdns.verticles.node;

import dev.vxdns.verticles.cluster.SharedConfigStore.Versioned;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a clustered node's configuration is split between the cluster and its own file. The
 * node-local part names this node's addresses, ports, files and sizing and always comes from the
 * node's own file (and so do the definitions of the keys its {@code controls} name); the shared
 * part is everything else (zones, ACLs, keys, policy options) and comes from the cluster once a
 * version was pushed ({@code vxdns push-config}). A node keeps the last version it applied in
 * {@value #SAVED} beside its config, so that a whole-cluster restart does not fall back to the
 * files' shared parts.
 */
final class SharedConfig {
  /** Top-level sections that belong to each node. */
  static final Set<String> LOCAL_SECTIONS =
      Set.of(
          "controls",
          "statistics-channels",
          "querylog",
          "cluster",
          "tls",
          "http",
          "extensions",
          dev.vxdns.config.Includes.KEY);

  /** Keys under {@code options} that belong to each node. */
  static final Set<String> LOCAL_OPTIONS =
      Set.of(
          "listen-on",
          "directory",
          "geoip-directory",
          "event-loops",
          "udp-instances",
          "tcp-instances",
          "pipeline",
          // How the node names itself (id.server, the NSID, hostname.bind): its own, as BIND's.
          "server-id",
          "hostname");

  /** Where a node keeps the cluster version it applied last, beside its config file. */
  static final String SAVED = "cluster-config.json";

  private SharedConfig() {}

  /** The node-local keys a pushed document holds ({@code controls}, {@code options.listen-on}). */
  static List<String> localKeysIn(JsonObject pushed) {
    List<String> found = new ArrayList<>();
    for (String section : new java.util.TreeSet<>(pushed.fieldNames())) {
      if (LOCAL_SECTIONS.contains(section)) {
        found.add(section);
      }
    }
    if (pushed.getValue("options") instanceof JsonObject options) {
      for (String option : new java.util.TreeSet<>(options.fieldNames())) {
        if (LOCAL_OPTIONS.contains(option)) {
          found.add("options." + option);
        }
      }
    }
    return found;
  }

  /** {@code document} without its node-local keys. */
  static JsonObject sharedPart(JsonObject document) {
    JsonObject shared = document.copy();
    LOCAL_SECTIONS.forEach(shared::remove);
    if (shared.getValue("options") instanceof JsonObject options) {
      LOCAL_OPTIONS.forEach(options::remove);
      if (options.isEmpty()) {
        shared.remove("options");
      }
    }
    return shared;
  }

  /**
   * What a node runs: the cluster's shared document, with the node-local keys of its own file (the
   * file's shared keys are not used).
   */
  static JsonObject merge(JsonObject shared, JsonObject file) {
    JsonObject merged = sharedPart(shared);
    for (String section : LOCAL_SECTIONS) {
      if (file.containsKey(section)) {
        merged.put(section, file.getValue(section));
      }
    }
    controlKeys(file)
        .forEach(
            (name, definition) -> {
              if (!(merged.getValue("key") instanceof JsonObject)) {
                merged.put("key", new JsonObject());
              }
              merged.getJsonObject("key").put(name, definition);
            });
    if (file.getValue("options") instanceof JsonObject options) {
      for (String option : LOCAL_OPTIONS) {
        if (options.containsKey(option)) {
          if (!(merged.getValue("options") instanceof JsonObject)) {
            merged.put("options", new JsonObject());
          }
          merged.getJsonObject("options").put(option, options.getValue(option));
        }
      }
    }
    return merged;
  }

  /** The definitions of the keys the file's {@code controls} name: the node's own. */
  private static java.util.Map<String, Object> controlKeys(JsonObject file) {
    java.util.Map<String, Object> keys = new java.util.TreeMap<>();
    if (file.getValue("controls") instanceof io.vertx.core.json.JsonArray controls
        && file.getValue("key") instanceof JsonObject defined) {
      for (Object control : controls) {
        if (control instanceof JsonObject entry
            && entry.getValue("key") instanceof String name
            && defined.containsKey(name)) {
          keys.put(name, defined.getValue(name));
        }
      }
    }
    return keys;
  }

  /** The version this node applied last, null when it has none (or the file is unreadable). */
  static Versioned readSaved(Path configDirectory) {
    Path file = configDirectory.resolve(SAVED);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      return new Versioned(json.getLong("version"), json.getJsonObject("document"));
    } catch (IOException | RuntimeException e) {
      System.getLogger(SharedConfig.class.getName())
          .log(System.Logger.Level.WARNING, "cannot read {0}: {1}", file, ConfigFiles.oneLine(e));
      return null;
    }
  }

  /**
   * Keeps {@code applied} beside the config, mode 0600 (it holds the keys' secrets), replaced
   * atomically.
   */
  static void save(Path configDirectory, Versioned applied) throws IOException {
    Path file = configDirectory.resolve(SAVED);
    Path temporary = configDirectory.resolve(SAVED + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createFile(
        temporary,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        temporary,
        new JsonObject()
            .put("version", applied.version())
            .put("document", applied.document())
            .encodePrettily());
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
