package dev.vxdns.client;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.xbill.DNS.TSIG;

/**
 * Where and how {@link QueryClient} sends one query.
 *
 * @param proxy the PROXY header sent with the query, if any
 * @param http the DoH/h2c request
 * @param tls how the DoT/DoH server's certificate is checked
 * @param tsig signs the query and verifies the response; null for an unsigned query
 */
public record ClientOptions(
    InetSocketAddress server,
    Transport transport,
    Proxy proxy,
    Http http,
    Tls tls,
    Duration timeout,
    TSIG tsig) {

  public static final String DEFAULT_HTTP_PATH = "/dns-query";

  /**
   * @param source with {@code destination}, the addresses the header claims; both null for a LOCAL
   *     header (dig's {@code +proxy} without addresses)
   */
  public record Proxy(ProxyMode mode, InetSocketAddress source, InetSocketAddress destination) {
    public static final Proxy NONE = new Proxy(ProxyMode.NONE, null, null);

    public Proxy {
      Objects.requireNonNull(mode, "mode");
      if ((source == null) != (destination == null)) {
        throw new IllegalArgumentException("a PROXY header needs both addresses or neither");
      }
    }

    public boolean sent() {
      return mode != ProxyMode.NONE;
    }
  }

  /**
   * @param path the endpoint ({@code /dns-query} when null)
   * @param get GET {@code ?dns=} instead of POST
   */
  public record Http(String path, boolean get) {
    public static final Http DEFAULT = new Http(DEFAULT_HTTP_PATH, false);

    public Http {
      path = path == null ? DEFAULT_HTTP_PATH : path;
    }
  }

  /**
   * @param ca trust anchors (PEM) to verify the server's certificate; null with {@code verify} for
   *     the JDK's default ones; neither: the certificate is not checked (dig's default)
   * @param hostname the name the certificate must carry, sent as SNI; null: the server's address
   */
  public record Tls(Path ca, boolean verify, String hostname) {
    public static final Tls UNCHECKED = new Tls(null, false, null);

    /** Whether the server's certificate is checked at all. */
    public boolean verifies() {
      return ca != null || verify;
    }
  }

  public ClientOptions {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(proxy, "proxy");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Plain UDP to {@code server}, 5 s timeout, no PROXY, no TSIG. */
  public static ClientOptions udp(InetSocketAddress server) {
    return new ClientOptions(
        server,
        Transport.UDP,
        Proxy.NONE,
        Http.DEFAULT,
        Tls.UNCHECKED,
        Duration.ofSeconds(5),
        null);
  }

  public ClientOptions withTransport(Transport value) {
    return new ClientOptions(server, value, proxy, http, tls, timeout, tsig);
  }

  public ClientOptions withProxy(
      ProxyMode mode, InetSocketAddress source, InetSocketAddress destination) {
    return new ClientOptions(
        server, transport, new Proxy(mode, source, destination), http, tls, timeout, tsig);
  }

  public ClientOptions withHttp(String path, boolean get) {
    return new ClientOptions(server, transport, proxy, new Http(path, get), tls, timeout, tsig);
  }

  public ClientOptions withTls(Path ca, boolean verify, String hostname) {
    return new ClientOptions(
        server, transport, proxy, http, new Tls(ca, verify, hostname), timeout, tsig);
  }

  public ClientOptions withTimeout(Duration value) {
    return new ClientOptions(server, transport, proxy, http, tls, value, tsig);
  }

  public ClientOptions withTsig(TSIG value) {
    return new ClientOptions(server, transport, proxy, http, tls, timeout, value);
  }
}
