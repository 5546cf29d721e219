package dev.vxdns.endtoend;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * TLS client connections for the tests, as DoT (and DoH over a raw socket) uses them: a TCP
 * connection within {@value #CONNECT_TIMEOUT_MILLIS} ms with the test's read timeout, TLS over it
 * with a context that trusts the test certificate, SNI "localhost" and the ALPN protocol asked for,
 * and, for the PROXY v2 listeners, a header in clear before the handshake or as the first bytes
 * inside TLS. The two-byte framing of DoT is {@link DnsClient}'s.
 */
final class DotClient {
  /** How long a test waits for a TCP connection. */
  static final int CONNECT_TIMEOUT_MILLIS = 3000;

  /** The name the client sends as SNI (and checks, in {@link #query}): the test certificate's. */
  static final String SERVER_NAME = "localhost";

  private DotClient() {}

  /** A TCP connection to {@code host} {@code port}, connected within 3 s, with a read timeout. */
  static Socket tcp(String host, int port, int readTimeoutMillis) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
    socket.setSoTimeout(readTimeoutMillis);
    return socket;
  }

  /**
   * TLS over the connected socket {@code raw} (closed with it): SNI "localhost", ALPN {@code alpn}
   * (none when null), the handshake done.
   */
  static SSLSocket tls(SSLContext context, Socket raw, String alpn) throws IOException {
    return tls(context, raw, alpn, false);
  }

  /**
   * A DoT-style TLS connection to 127.0.0.1 {@code port} with ALPN {@code alpn} (none when null).
   */
  static SSLSocket connect(SSLContext context, int port, int readTimeoutMillis, String alpn)
      throws IOException {
    return connect(
        context, new InetSocketAddress("127.0.0.1", port), readTimeoutMillis, alpn, null, null);
  }

  /**
   * A TLS connection to {@code address} with ALPN {@code alpn} (none when null) and a PROXY v2
   * header where a listener's mode wants it: {@code plainHeader} in clear before the handshake
   * (HAProxy's way), {@code encryptedHeader} as the first bytes inside TLS (dnsdist's way); either
   * may be null.
   */
  static SSLSocket connect(
      SSLContext context,
      InetSocketAddress address,
      int readTimeoutMillis,
      String alpn,
      byte[] plainHeader,
      byte[] encryptedHeader)
      throws IOException {
    Socket raw = tcp(address.getHostString(), address.getPort(), readTimeoutMillis);
    try {
      if (plainHeader != null) {
        raw.getOutputStream().write(plainHeader);
      }
      SSLSocket tls = tls(context, raw, alpn);
      if (encryptedHeader != null) {
        tls.getOutputStream().write(encryptedHeader);
      }
      return tls;
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /**
   * One framed query over a new DoT connection to 127.0.0.1 {@code port} (ALPN "dot", 3 s
   * timeouts), checking the certificate against the name "localhost" as kdig +tls-hostname does;
   * the response's bytes, or null when the server closed the connection.
   */
  static byte[] query(SSLContext context, int port, byte[] query) throws IOException {
    try (Socket raw = tcp("127.0.0.1", port, 3000);
        SSLSocket socket = tls(context, raw, "dot", true)) {
      DnsClient.writeFramed(socket, query);
      return DnsClient.readFramed(socket);
    }
  }

  private static SSLSocket tls(SSLContext context, Socket raw, String alpn, boolean checkName)
      throws IOException {
    SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket(raw, SERVER_NAME, raw.getPort(), true);
    SSLParameters parameters = socket.getSSLParameters();
    if (checkName) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (alpn != null) {
      parameters.setApplicationProtocols(new String[] {alpn});
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }
}
