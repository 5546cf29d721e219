package dev.vxdns.verticles.forward;

import dev.vxdns.forward.PacketCache;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * What one event loop (one Vert.x context) uses to reach the backends: a UDP socket per backend,
 * TCP/DoT connections per backend (and per client tuple when the backend takes PROXY headers), its
 * shard of the packet cache and its round-robin position. Touched only on its own loop, so nothing
 * here is locked; every socket was made on this context and is served by its loop.
 */
final class LoopForwarder {
  /** How long an unused connection to a backend stays open. */
  static final long IDLE_MILLIS = 10_000;

  /** The same for a connection opened for one client tuple (PROXY): rarely reused. */
  static final long PROXIED_IDLE_MILLIS = 2_000;

  private record StreamKey(BackendState backend, ProxyHeader header) {}

  final ContextInternal context;
  final PacketCache cache;
  private final NetClient client;
  private final Map<BackendState, UdpUpstream> udp = new HashMap<>();
  private final Map<StreamKey, StreamUpstream> streams = new HashMap<>();
  private int roundRobin;

  LoopForwarder(ContextInternal context, PacketCache cache) {
    this.context = context;
    this.cache = cache;
    this.client = context.owner().createNetClient(new NetClientOptions().setTcpNoDelay(true));
  }

  /** The next round-robin position of this loop. */
  int nextTurn() {
    roundRobin = roundRobin == Integer.MAX_VALUE ? 0 : roundRobin + 1;
    return roundRobin;
  }

  /** Sends one try of a query to a backend over UDP, TCP or DoT, with {@code header} in front. */
  void send(
      BackendState backend,
      BackendTransport transport,
      byte[] query,
      ProxyHeader header,
      Answer answer) {
    send(backend, transport, query, header, backend.backend.timeoutMillis(), answer);
  }

  /** The same with a timeout of its own (a health check's). */
  void send(
      BackendState backend,
      BackendTransport transport,
      byte[] query,
      ProxyHeader header,
      long timeout,
      Answer answer) {
    if (transport == BackendTransport.UDP) {
      udp.computeIfAbsent(backend, b -> new UdpUpstream(context, b.backend.address()))
          .send(query, header == null ? null : ProxyEncoder.encode(header), timeout, answer);
      return;
    }
    StreamKey key = new StreamKey(backend, header);
    StreamUpstream connection = streams.get(key);
    if (connection == null || connection.isClosed()) {
      StreamUpstream[] made = new StreamUpstream[1];
      made[0] =
          new StreamUpstream(
              context,
              client,
              backend,
              header == null ? null : ProxyEncoder.encode(header),
              header == null || header.isLocal() ? IDLE_MILLIS : PROXIED_IDLE_MILLIS,
              () -> streams.remove(key, made[0]));
      connection = made[0];
      if (!connection.isClosed()) {
        streams.put(key, connection);
      }
    }
    connection.send(query, timeout, answer);
  }

  /** Closes every socket and connection (the forward stage stopped). */
  void close() {
    udp.values().forEach(UdpUpstream::close);
    udp.clear();
    for (StreamUpstream connection : java.util.List.copyOf(streams.values())) {
      connection.close("the forwarder stopped");
    }
    client.close();
  }
}
