package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.Includes;
import dev.vxdns.verticles.transport.ListenerConfig;
import dev.vxdns.verticles.transport.TlsConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Files holding secrets (TLS private keys named by {@code tls} entries, key files named by {@code
 * include}) must be readable by their owner only, or the node does not start, as ssh refuses a
 * private key others can read. The control channel's {@code key-file} is checked by its own part;
 * the {@code ephemeral} key is written 0600 by the node.
 */
final class KeyFileModes {
  private static final Set<PosixFilePermission> OWNER_ONLY_VIOLATIONS =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private KeyFileModes() {}

  /**
   * Fails with the first secret file that group or others may read or write.
   *
   * @param raw the config file as written (before includes are merged)
   */
  static void check(JsonObject raw, Path directory, NodeConfig config) throws ConfigException {
    for (Path file : Includes.files(raw, directory)) {
      checkOwnerOnly(Includes.KEY, file);
    }
    Set<TlsConfig> tls = new LinkedHashSet<>();
    for (ListenerConfig listener : config.transport().listeners()) {
      if (listener.tls() != null && !TlsConfig.EPHEMERAL.equals(listener.tls().name())) {
        tls.add(listener.tls());
      }
    }
    for (TlsConfig entry : tls) {
      checkOwnerOnly("tls." + entry.name() + ".key-file", entry.keyFile());
    }
  }

  static void checkOwnerOnly(String key, Path file) throws ConfigException {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return;
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    }
    List<PosixFilePermission> extra = new ArrayList<>(permissions);
    extra.retainAll(OWNER_ONLY_VIOLATIONS);
    if (!extra.isEmpty()) {
      throw new ConfigException(
          key,
          file
              + " holds a secret and is accessible to group or others (mode "
              + PosixFilePermissions.toString(permissions)
              + "); make it readable by the node's user only: chmod 600 "
              + file);
    }
  }
}
