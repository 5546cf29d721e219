package dev.vxdns.verticles.transport;

/**
 * What the node hands each instance of a transport verticle: its listener, the transports'
 * settings, how many instances share the listener (connection caps are divided among them), the
 * largest PROXY header to delimit ({@code proxy-max-header-size}, the proxy stage's key) and the
 * node's one budget for DoH request bodies ({@code http-max-buffered-bytes}), and the sources its
 * stream connections are closed at accept for ({@code blackhole}, applied only without {@code
 * proxy}).
 */
public record Listener(
    ListenerConfig config,
    TransportSettings settings,
    int instances,
    int proxyMaxHeaderSize,
    RequestBodyBudget bodyBudget,
    SourceFilter blackhole) {
  public Listener {
    blackhole = blackhole == null ? SourceFilter.NONE : blackhole;
  }

  /** A listener that refuses no source at accept. */
  public Listener(
      ListenerConfig config,
      TransportSettings settings,
      int instances,
      int proxyMaxHeaderSize,
      RequestBodyBudget bodyBudget) {
    this(config, settings, instances, proxyMaxHeaderSize, bodyBudget, SourceFilter.NONE);
  }
}
