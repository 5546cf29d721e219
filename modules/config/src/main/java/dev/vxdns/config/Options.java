package dev.vxdns.config;

import dev.vxdns.message.Delivery;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code options} object.
 *
 * @param maxUdpSize largest UDP response sent ({@code max-udp-size}, default 1232)
 * @param ednsUdpSize UDP size advertised in responses' OPT record ({@code edns-udp-size}, default 1232)
 * @param delivery how transports reach the stages ({@code pipeline.delivery})
 * @param pipelineTimeoutMillis event-bus request timeout of one stage ({@code pipeline.timeout-ms})
 * @param eventLoops Vert.x event-loop threads ({@code event-loops}, default: the number of cores)
 * @param udpInstances UDP transport instances per listener, sharing the port with SO_REUSEPORT
 * @param tcpInstances TCP transport instances per listener, sharing the server socket
 */
public record Options(
    List<ListenerConfig> listenOn,
    Path directory,
    int maxUdpSize,
    int ednsUdpSize,
    Delivery delivery,
    int pipelineTimeoutMillis,
    int eventLoops,
    int udpInstances,
    int tcpInstances,
    TcpOptions tcp) {
  public Options {
    listenOn = List.copyOf(listenOn);
  }
}
