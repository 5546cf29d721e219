package dev.vxdns.verticles.forward;

import dev.vxdns.forward.ClientSubnet;
import dev.vxdns.proxyprotocol.Tlv;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * One backend of a pool, as configured.
 *
 * @param name how logs and counters call it: the pool's name and the address ({@code
 *     main/127.0.0.1:5301})
 * @param weight its share under round robin
 * @param timeoutMillis how long one try waits for an answer
 * @param retries how many more tries this backend gets before the next one is tried
 * @param tlsName the name its DoT certificate must carry (and the SNI), or null
 * @param caFile the CA its DoT certificate must chain to, or null to accept any certificate
 * @param proxyProtocol a PROXY v2 header with the client's effective addresses goes first: before
 *     each datagram, once per TCP connection, inside TLS for DoT
 * @param tlvs custom TLVs added to every PROXY header
 * @param clientSubnet the ECS option added to queries, or null for none
 * @param cache whether its answers may be cached (default: not when it gets PROXY headers, whose
 *     answers may depend on the client)
 * @param healthCheck its periodic check, or null: then it is always up
 */
public record Backend(
    String name,
    InetSocketAddress address,
    BackendTransport transport,
    int weight,
    long timeoutMillis,
    int retries,
    String tlsName,
    Path caFile,
    boolean proxyProtocol,
    List<Tlv> tlvs,
    ClientSubnet clientSubnet,
    boolean cache,
    HealthCheck healthCheck) {
  public Backend {
    tlvs = List.copyOf(tlvs);
  }
}
