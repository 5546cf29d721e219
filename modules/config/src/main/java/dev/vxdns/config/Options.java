package dev.vxdns.config;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.message.Delivery;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code options} object.
 *
 * @param maxUdpSize largest UDP response sent ({@code max-udp-size}, default 1232)
 * @param ednsUdpSize UDP size advertised in responses' OPT record ({@code edns-udp-size}, default
 *     1232)
 * @param delivery how transports reach the stages ({@code pipeline.delivery})
 * @param pipelineTimeoutMillis event-bus request timeout of one stage ({@code pipeline.timeout-ms})
 * @param eventLoops Vert.x event-loop threads ({@code event-loops}, default: the number of cores)
 * @param udpInstances UDP transport instances per listener, sharing the port with SO_REUSEPORT
 * @param tcpInstances TCP transport instances per listener, sharing the server socket
 * @param allowProxy who may send PROXY headers, matched on the REAL source ({@code allow-proxy},
 *     default none)
 * @param allowProxyOn where PROXY headers are accepted, matched on the REAL destination ({@code
 *     allow-proxy-on}, default any)
 * @param proxyMaxHeaderSize the largest PROXY header accepted ({@code proxy-max-header-size},
 *     default 512 as dnsdist)
 * @param whoami the CH TXT name answering the client's effective address, or null ({@code whoami})
 * @param tkey TKEY Diffie-Hellman settings, or null when TKEY is off ({@code tkey-domain} unset)
 * @param sig0 SIG(0) verification limits ({@code sig0-workers}, {@code sig0-rate-limit}, {@code
 *     sig0-max-pending})
 * @param access the node-wide access lists ({@code blackhole}, {@code allow-query}, {@code
 *     allow-query-on})
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
    TcpOptions tcp,
    AddressMatchList allowProxy,
    AddressMatchList allowProxyOn,
    int proxyMaxHeaderSize,
    String whoami,
    TkeyOptions tkey,
    Sig0Options sig0,
    AccessLists access) {
  public Options {
    listenOn = List.copyOf(listenOn);
  }
}
