package dev.vxdns.client;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.TSIG;

/**
 * Where and how {@link QueryClient} sends one query.
 *
 * @param proxySource with {@code proxyDestination}, the addresses a PROXY header claims; both null
 *     for a LOCAL header (dig's {@code +proxy} without addresses)
 * @param httpPath the DoH/h2c endpoint ({@code /dns-query})
 * @param httpGet GET {@code ?dns=} instead of POST
 * @param tlsCa trust anchors (PEM) to verify the server's certificate; null with {@code tlsVerify}
 *     for the JDK's default ones; neither: the certificate is not checked (dig's default)
 * @param tlsHostname the name the certificate must carry, sent as SNI; null: the server's address
 * @param tsig signs the query and verifies the response; null for an unsigned query
 */
public record ClientOptions(
    InetSocketAddress server,
    Transport transport,
    ProxyMode proxy,
    InetSocketAddress proxySource,
    InetSocketAddress proxyDestination,
    String httpPath,
    boolean httpGet,
    Path tlsCa,
    boolean tlsVerify,
    String tlsHostname,
    Duration timeout,
    TSIG tsig) {

  public static final String DEFAULT_HTTP_PATH = "/dns-query";

  public ClientOptions {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(timeout, "timeout");
    if ((proxySource == null) != (proxyDestination == null)) {
      throw new IllegalArgumentException("a PROXY header needs both addresses or neither");
    }
    httpPath = httpPath == null ? DEFAULT_HTTP_PATH : httpPath;
  }

  /** Plain UDP to {@code server}, 5 s timeout, no PROXY, no TSIG. */
  public static ClientOptions udp(InetSocketAddress server) {
    return new ClientOptions(
        server,
        Transport.UDP,
        ProxyMode.NONE,
        null,
        null,
        DEFAULT_HTTP_PATH,
        false,
        null,
        false,
        null,
        Duration.ofSeconds(5),
        null);
  }

  public ClientOptions withTransport(Transport value) {
    return new ClientOptions(
        server,
        value,
        proxy,
        proxySource,
        proxyDestination,
        httpPath,
        httpGet,
        tlsCa,
        tlsVerify,
        tlsHostname,
        timeout,
        tsig);
  }

  public ClientOptions withProxy(
      ProxyMode mode, InetSocketAddress source, InetSocketAddress destination) {
    return new ClientOptions(
        server,
        transport,
        mode,
        source,
        destination,
        httpPath,
        httpGet,
        tlsCa,
        tlsVerify,
        tlsHostname,
        timeout,
        tsig);
  }

  public ClientOptions withHttp(String path, boolean get) {
    return new ClientOptions(
        server,
        transport,
        proxy,
        proxySource,
        proxyDestination,
        path,
        get,
        tlsCa,
        tlsVerify,
        tlsHostname,
        timeout,
        tsig);
  }

  public ClientOptions withTls(Path ca, boolean verify, String hostname) {
    return new ClientOptions(
        server,
        transport,
        proxy,
        proxySource,
        proxyDestination,
        httpPath,
        httpGet,
        ca,
        verify,
        hostname,
        timeout,
        tsig);
  }

  public ClientOptions withTimeout(Duration value) {
    return new ClientOptions(
        server,
        transport,
        proxy,
        proxySource,
        proxyDestination,
        httpPath,
        httpGet,
        tlsCa,
        tlsVerify,
        tlsHostname,
        value,
        tsig);
  }

  public ClientOptions withTsig(TSIG value) {
    return new ClientOptions(
        server,
        transport,
        proxy,
        proxySource,
        proxyDestination,
        httpPath,
        httpGet,
        tlsCa,
        tlsVerify,
        tlsHostname,
        timeout,
        value);
  }
}
