package dev.vxdns.verticles.transport;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import dev.vxdns.message.Pipeline;
import dev.vxdns.message.Transport;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The transports' part of the configuration: the listeners ({@code listen-on}, with the top-level
 * {@code tls} and {@code http} entries they name), how they reach the stages ({@code pipeline}),
 * their instances and BIND's stream limits.
 *
 * @param delivery how transports reach the stages ({@code pipeline.delivery})
 * @param pipelineTimeoutMillis event-bus request timeout of one stage ({@code pipeline.timeout-ms})
 * @param eventLoops Vert.x event-loop threads ({@code event-loops}, default: the number of cores)
 * @param udpInstances UDP transport instances per listener, sharing the port with SO_REUSEPORT
 * @param tcpInstances TCP transport instances per listener, sharing the server socket
 * @param udpMaxInflight most queries one UDP instance has in the pipeline at once ({@code
 *     udp-max-inflight}); datagrams beyond are dropped and counted. With {@code delivery eventbus}
 *     each may wait up to {@code timeout-ms}, so without a cap a flood would pile up exchanges.
 * @param httpMaxBufferedBytes most DoH request-body bytes the node holds at once, over all its DoH
 *     and h2c listeners ({@code http-max-buffered-bytes}); a POST that does not fit gets 503. Per
 *     node because the memory it protects (the heap) is the node's: a per-listener budget would
 *     multiply with the listeners.
 * @param doq DNS over QUIC's own limits (the rest it shares with DoT: {@code tcp-clients}, {@code
 *     tcp-initial-timeout}, {@code tcp-idle-timeout})
 */
public record TransportSettings(
    List<ListenerConfig> listeners,
    Delivery delivery,
    int pipelineTimeoutMillis,
    int eventLoops,
    int udpInstances,
    int tcpInstances,
    int udpMaxInflight,
    int httpMaxBufferedBytes,
    TcpOptions tcp,
    DoqOptions doq,
    DnsOptions dns) {
  public TransportSettings {
    listeners = List.copyOf(listeners);
  }

  private static final Set<String> LISTENER_KEYS =
      Set.of("name", "address", "port", "transport", "proxy", "tls", "http", "pipeline");
  private static final Set<String> AVAILABLE_TRANSPORTS =
      Set.of("udp", "tcp", "dot", "doh", "h2c", "doq");

  /** Default of {@code http-max-buffered-bytes}: 64 MiB, about a thousand largest messages. */
  static final int DEFAULT_HTTP_MAX_BUFFERED_BYTES = 64 << 20;

  /** BIND's connection timeouts are in units of 100 ms. */
  private static final int TENTHS = 100;

  /** BIND's transfer limits are in minutes. */
  public static final ConfigPart<TransportSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options(
                  "listen-on",
                  "pipeline",
                  "event-loops",
                  "udp-instances",
                  "tcp-instances",
                  "udp-max-inflight",
                  "tcp-clients",
                  "tcp-initial-timeout",
                  "tcp-idle-timeout",
                  "tcp-keepalive-timeout",
                  "tcp-advertised-timeout",
                  "tcp-pipelined-queries",
                  "http-listener-clients",
                  "http-streams-per-connection",
                  "http-max-buffered-bytes",
                  "max-transfer-time-out",
                  "max-transfer-idle-out",
                  "doq-streams-per-connection",
                  "doq-retry-threshold",
                  "doq-early-data")
              .andSections("tls", "http");
        }

        @Override
        public TransportSettings parse(ConfigSource source) throws ConfigException {
          return TransportSettings.parse(source);
        }
      };

  private static TransportSettings parse(ConfigSource source) throws ConfigException {
    Json options = source.options();
    int eventLoops =
        options.integer("event-loops", Runtime.getRuntime().availableProcessors(), 1, 256);
    Json pipeline = options.object("pipeline");
    pipeline.allowOnly(Set.of("delivery", "timeout-ms"));
    Delivery delivery;
    try {
      delivery = Delivery.fromConfigName(pipeline.string("delivery", Delivery.DIRECT.configName()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(pipeline.key("delivery"), e.getMessage());
    }
    TcpOptions tcp =
        new TcpOptions(
            options.integer("tcp-clients", 150, 1, 1_000_000),
            options.integer("tcp-initial-timeout", 300, 25, 1200) * TENTHS,
            options.integer("tcp-idle-timeout", 300, 1, 1200) * TENTHS,
            options.integer("tcp-keepalive-timeout", 300, 1, 65535) * TENTHS,
            options.integer("tcp-advertised-timeout", 300, 0, 65535) * TENTHS,
            options.integer("tcp-pipelined-queries", 32, 1, 65535),
            options.integer("http-listener-clients", 300, 1, 1_000_000),
            options.integer("http-streams-per-connection", 100, 1, 65535),
            options.transferMinutes("max-transfer-time-out", Duration.ofMinutes(120)).toMillis(),
            options.transferMinutes("max-transfer-idle-out", Duration.ofMinutes(60)).toMillis());
    Map<String, TlsConfig> tls = parseTls(source);
    Map<String, List<String>> http = parseHttp(source.root().object("http"));
    return new TransportSettings(
        parseListeners(options, tls, http, source.forwards()),
        delivery,
        pipeline.integer("timeout-ms", 5000, 1, 600_000),
        eventLoops,
        options.integer("udp-instances", eventLoops, 1, 256),
        options.integer("tcp-instances", eventLoops, 1, 256),
        options.integer("udp-max-inflight", 1024, 1, 1_000_000),
        // at least one largest message, or a big POST could never be answered
        options.integer(
            "http-max-buffered-bytes",
            DEFAULT_HTTP_MAX_BUFFERED_BYTES,
            DohTransportVerticle.MAX_MESSAGE,
            Integer.MAX_VALUE),
        tcp,
        new DoqOptions(
            options.integer("doq-streams-per-connection", 100, 1, 65535),
            options.integer(
                "doq-retry-threshold", DoqOptions.DEFAULT_RETRY_THRESHOLD, 0, 1_000_000),
            options.bool("doq-early-data", false)),
        source.parse(DnsOptions.PART));
  }

  /**
   * The top-level {@code tls} entries, plus the reserved {@value TlsConfig#EPHEMERAL}, whose files
   * need not exist: the node generates them before it listens.
   */
  private static Map<String, TlsConfig> parseTls(ConfigSource source) throws ConfigException {
    Json tls = source.root().object("tls");
    Path generated =
        source.tlsGeneratedDirectory() != null
            ? source.tlsGeneratedDirectory()
            : source.directory().resolve(TlsConfig.GENERATED_DIRECTORY);
    Map<String, TlsConfig> result = new HashMap<>();
    for (String name : tls.fieldNames()) {
      if (name.equalsIgnoreCase(TlsConfig.EPHEMERAL)) {
        throw new ConfigException(
            tls.key(name),
            "the tls name \""
                + TlsConfig.EPHEMERAL
                + "\" is reserved (as in BIND) for the"
                + " self-signed test certificate vxdns generates in "
                + generated
                + "; give your own certificate another name, e.g. \"mine\", and use \"tls\":"
                + " \"mine\" in the listener");
      }
      Json entry = tls.object(name);
      entry.allowOnly(Set.of("cert-file", "key-file", "protocols"));
      result.put(
          name,
          new TlsConfig(
              name,
              source.readableFile(entry, "cert-file"),
              source.readableFile(entry, "key-file"),
              tlsProtocols(entry)));
    }
    result.put(TlsConfig.EPHEMERAL, TlsConfig.ephemeral(generated));
    return result;
  }

  /**
   * BIND's {@code protocols { TLSv1.2; TLSv1.3; };}: the TLS versions a listener accepts (both by
   * default), named as BIND names them.
   */
  private static Set<String> tlsProtocols(Json entry) throws ConfigException {
    List<String> protocols = entry.strings("protocols", List.copyOf(TlsConfig.ALL_PROTOCOLS));
    for (String protocol : protocols) {
      if (!TlsConfig.ALL_PROTOCOLS.contains(protocol)) {
        throw new ConfigException(
            entry.key("protocols"), "takes TLSv1.2 and TLSv1.3, not " + protocol);
      }
    }
    if (protocols.isEmpty()) {
      throw new ConfigException(entry.key("protocols"), "names no TLS version");
    }
    return Set.copyOf(protocols);
  }

  /** BIND's {@code http NAME { endpoints { "/dns-query"; }; };} */
  private static Map<String, List<String>> parseHttp(Json http) throws ConfigException {
    Map<String, List<String>> result = new HashMap<>();
    for (String name : http.fieldNames()) {
      Json entry = http.object(name);
      entry.allowOnly(Set.of("endpoints"));
      List<String> endpoints = entry.strings("endpoints", List.of("/dns-query"));
      for (String endpoint : endpoints) {
        if (!endpoint.startsWith("/") || endpoint.contains("?")) {
          throw new ConfigException(
              entry.key("endpoints"), "an endpoint is a path such as /dns-query, got " + endpoint);
        }
      }
      result.put(name, endpoints);
    }
    return result;
  }

  private static List<ListenerConfig> parseListeners(
      Json options, Map<String, TlsConfig> tls, Map<String, List<String>> http, boolean forwards)
      throws ConfigException {
    List<Json> entries = options.objects("listen-on");
    // The rate limiter's key (RrlSettings, verticles/rrl): without it the stage is left out of the
    // pipeline, so a node without rate limiting pays nothing for it (not even a bus hop).
    boolean rateLimited = options.has("rate-limit");
    if (entries.isEmpty()) {
      throw new ConfigException(options.key("listen-on"), "at least one listener is required");
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    for (Json entry : entries) {
      entry.allowOnly(LISTENER_KEYS);
      InetAddress address = entry.address("address");
      int port = entry.integer("port", 53, 0, 65535);
      ProxyMode proxy = parseProxyMode(entry);
      List<String> pipeline =
          entry.strings(
              "pipeline", Pipeline.standard(proxy != ProxyMode.NONE, rateLimited, forwards));
      if (pipeline.isEmpty()) {
        throw new ConfigException(entry.key("pipeline"), "must name at least one stage");
      }
      if (proxy != ProxyMode.NONE && !pipeline.get(0).equals(Addresses.PROXY)) {
        throw new ConfigException(
            entry.key("pipeline"), "a listener with proxy must run " + Addresses.PROXY + " first");
      }
      List<String> transports = entry.strings("transport", List.of("udp", "tcp"));
      String baseName = entry.string("name", formatEndpoint(address, port));
      for (String transportName : transports) {
        String key = entry.key("transport");
        Transport transport;
        try {
          transport = Transport.fromConfigName(transportName.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key, e.getMessage());
        }
        if (!AVAILABLE_TRANSPORTS.contains(transport.configName())) {
          throw new ConfigException(
              key,
              "transport "
                  + transport.configName()
                  + " is not available in this build (use udp or tcp)");
        }
        // One socket per address, port and protocol: Vert.x would share a TCP one between two
        // listeners (each connection handed to either, DNS over TCP or HTTP alike), and
        // SO_REUSEPORT a UDP one.
        for (ListenerConfig other : listeners) {
          if (other.port() == port
              && other.port() != 0
              && other.transport().overUdp() == transport.overUdp()
              && other.address().equals(address)) {
            throw new ConfigException(
                key,
                transport.configName()
                    + " on "
                    + formatEndpoint(address, port)
                    + (other.transport() == transport
                        ? " is configured twice"
                        : " would share its "
                            + (transport.overUdp() ? "UDP" : "TCP")
                            + " port with "
                            + other.transport().configName()));
          }
        }
        if (proxy != ProxyMode.NONE && transport == Transport.DOQ) {
          throw new ConfigException(
              entry.key("proxy"),
              "PROXY v2 has no QUIC binding: a doq listener cannot take proxy (its clients are"
                  + " always the real ones); put doq in a listener of its own, without proxy");
        }
        if (proxy == ProxyMode.ENCRYPTED && !transport.isEncrypted()) {
          throw new ConfigException(
              entry.key("proxy"),
              "encrypted PROXY headers need a TLS transport; "
                  + transport.configName()
                  + " takes proxy plain");
        }
        TlsConfig listenerTls = null;
        if (transport.needsTls()) {
          String tlsName = entry.string("tls", null);
          if (tlsName == null || !tls.containsKey(tlsName)) {
            throw new ConfigException(
                entry.key("tls"),
                transport.configName()
                    + " needs \"tls\" naming an entry of the top-level"
                    + " tls object, or \"ephemeral\" for a self-signed test certificate"
                    + (tlsName == null ? "" : "; there is no tls " + tlsName));
          }
          listenerTls = tls.get(tlsName);
          if (transport == Transport.DOQ && !listenerTls.protocols().contains("TLSv1.3")) {
            throw new ConfigException(
                entry.key("tls"),
                "QUIC runs on TLS 1.3 only (RFC 9001): tls " + tlsName + " leaves TLSv1.3 out");
          }
        }
        List<String> endpoints = List.of();
        if (transport.isHttp()) {
          String httpName = entry.string("http", null);
          if (httpName != null && !http.containsKey(httpName)) {
            throw new ConfigException(
                entry.key("http"),
                "there is no http " + httpName + " in the top-level http object");
          }
          endpoints = httpName == null ? List.of("/dns-query") : http.get(httpName);
        }
        listeners.add(
            new ListenerConfig(
                baseName, address, port, transport, proxy, listenerTls, endpoints, pipeline));
      }
    }
    return listeners;
  }

  private static ProxyMode parseProxyMode(Json entry) throws ConfigException {
    String mode = entry.string("proxy", null);
    if (mode == null) {
      return ProxyMode.NONE;
    }
    switch (mode) {
      case "plain":
        return ProxyMode.PLAIN;
      case "encrypted":
        return ProxyMode.ENCRYPTED;
      default:
        throw new ConfigException(
            entry.key("proxy"), "must be plain or encrypted, got '" + mode + "'");
    }
  }

  static String formatEndpoint(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
