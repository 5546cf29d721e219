package dev.vxdns.verticles.node;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.ServerIdentity;
import dev.vxdns.config.TsigKeySection;
import dev.vxdns.verticles.acl.AclSettings;
import dev.vxdns.verticles.admin.AdminSettings;
import dev.vxdns.verticles.auth.AuthSettings;
import dev.vxdns.verticles.cluster.ClusterSettings;
import dev.vxdns.verticles.extension.ExtensionSettings;
import dev.vxdns.verticles.forward.ForwardSettings;
import dev.vxdns.verticles.metrics.MetricsSettings;
import dev.vxdns.verticles.proxy.ProxySettings;
import dev.vxdns.verticles.rrl.RrlSettings;
import dev.vxdns.verticles.transport.TransportSettings;
import dev.vxdns.verticles.zone.ZoneSettings;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A node's whole configuration: the parts of every verticle it runs, each parsed once from one
 * document by the part's own module, and nothing that no part claims. The node hands each verticle
 * its part. Close it when the node stops: the access lists hold the GeoIP databases open.
 *
 * @param namedAcls every named {@code acl}, compiled, for tools that evaluate one by name
 * @param source the document as read, for the log and for comparing a later one
 */
public record NodeConfig(
    TransportSettings transport,
    ProxySettings proxy,
    AuthSettings auth,
    AclSettings acl,
    RrlSettings rrl,
    ZoneSettings zone,
    ForwardSettings forward,
    AdminSettings admin,
    ExtensionSettings extensions,
    MetricsSettings metrics,
    ClusterSettings cluster,
    PidFile pidFile,
    Map<String, AddressMatchList> namedAcls,
    AclEnvironment aclEnvironment,
    JsonObject source)
    implements AutoCloseable {

  /** The keys of every part a node runs. */
  private static final List<ConfigKeys> PARTS =
      List.of(
          DnsOptions.PART.keys(),
          ServerIdentity.PART.keys(),
          TsigKeySection.PART.keys(),
          TransportSettings.PART.keys(),
          ProxySettings.PART.keys(),
          AuthSettings.PART.keys(),
          AclSettings.PART.keys(),
          RrlSettings.PART.keys(),
          ZoneSettings.PART.keys(),
          ForwardSettings.PART.keys(),
          AdminSettings.PART.keys(),
          ExtensionSettings.PART.keys(),
          MetricsSettings.PART.keys(),
          ClusterSettings.PART.keys(),
          PidFile.PART.keys());

  /** Every key a node's parts claim (what {@code vxdns import-named} may write). */
  public static ConfigKeys keys() {
    return ConfigKeys.of(PARTS);
  }

  public NodeConfig {
    namedAcls = Map.copyOf(namedAcls);
    source = source.copy();
  }

  /**
   * Validates and types a configuration, failing with the first problem found, naming its key, so
   * that a bad file never half-applies.
   *
   * @param configDirectory the folder of the config file: relative paths resolve against it
   * @param tlsGeneratedDirectory where {@code tls "ephemeral"} lives when the launcher moved it;
   *     null for its default place under the config's directory
   */
  public static NodeConfig parse(JsonObject json, Path configDirectory, Path tlsGeneratedDirectory)
      throws ConfigException {
    ConfigSource source = ConfigSource.checked(json, configDirectory, tlsGeneratedDirectory, PARTS);
    try {
      return new NodeConfig(
          source.parse(TransportSettings.PART),
          source.parse(ProxySettings.PART),
          source.parse(AuthSettings.PART),
          source.parse(AclSettings.PART),
          source.parse(RrlSettings.PART),
          source.parse(ZoneSettings.PART),
          source.parse(ForwardSettings.PART),
          source.parse(AdminSettings.PART),
          source.parse(ExtensionSettings.PART),
          source.parse(MetricsSettings.PART),
          source.parse(ClusterSettings.PART),
          source.parse(PidFile.PART),
          source.acls().compiledNamed(),
          source.acls().environment(),
          source.json());
    } catch (ConfigException e) {
      source.acls().environment().closeGeoip();
      throw e;
    }
  }

  public static NodeConfig parse(JsonObject json, Path configDirectory) throws ConfigException {
    return parse(json, configDirectory, null);
  }

  /** Releases the GeoIP databases the access lists use. */
  @Override
  public void close() {
    aclEnvironment.closeGeoip();
  }
}
