package dev.vxdns.client;

import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * Sends one DNS query and reads its response over UDP, TCP, DoT, DoH or h2c, with a PROXY v2 header
 * where {@link ProxyMode} puts it and TSIG when the options carry a key. Blocking, one connection
 * per query (dig's default); thread-safe as it keeps no state.
 */
public final class QueryClient {
  private QueryClient() {}

  /**
   * The response to {@code query}, signed first with the options' key if any (the query is changed:
   * its TSIG record is added).
   *
   * @throws IOException on a timeout, a closed connection, an HTTP error or a TLS failure
   */
  public static Response exchange(Message query, ClientOptions options) throws IOException {
    if (options.tsig() != null) {
      options.tsig().apply(query, null);
    }
    byte[] wire = query.toWire();
    long start = System.nanoTime();
    byte[] answer =
        switch (options.transport()) {
          case UDP -> udp(wire, query.getHeader().getID(), options);
          case TCP, DOT -> stream(wire, options);
          case DOH, H2C -> http(wire, options);
        };
    long micros = (System.nanoTime() - start) / 1000;
    Message response = new Message(answer);
    int tsigStatus = Response.UNSIGNED;
    if (options.tsig() != null) {
      TSIGRecord sent = query.getTSIG();
      tsigStatus =
          response.getTSIG() == null
              ? Rcode.FORMERR
              : options.tsig().verify(response, answer, sent);
    }
    return new Response(response, answer, wire.length, micros, options, tsigStatus);
  }

  /** The PROXY header for {@code protocol}: the options' addresses, or LOCAL. */
  static byte[] proxyHeader(ClientOptions options, TransportProtocol protocol) {
    ClientOptions.Proxy proxy = options.proxy();
    ProxyHeader header =
        proxy.source() == null
            ? ProxyHeader.local()
            : ProxyHeader.proxy(protocol, proxy.source(), proxy.destination());
    return ProxyEncoder.encode(header);
  }

  private static byte[] udp(byte[] wire, int id, ClientOptions options) throws IOException {
    byte[] datagram = wire;
    if (options.proxy().sent()) {
      byte[] header = proxyHeader(options, TransportProtocol.DGRAM);
      datagram = java.util.Arrays.copyOf(header, header.length + wire.length);
      System.arraycopy(wire, 0, datagram, header.length, wire.length);
    }
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(options.server());
      socket.send(new DatagramPacket(datagram, datagram.length));
      long deadline = System.nanoTime() + options.timeout().toNanos();
      byte[] buffer = new byte[65535];
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new SocketTimeoutException("no response from " + options.server());
        }
        socket.setSoTimeout((int) left);
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        // Anything but the response to this query (a late one, a stray datagram) is skipped.
        if (packet.getLength() >= 12 && ((buffer[0] & 0xff) << 8 | (buffer[1] & 0xff)) == id) {
          return java.util.Arrays.copyOf(buffer, packet.getLength());
        }
      }
    }
  }

  private static byte[] stream(byte[] wire, ClientOptions options) throws IOException {
    try (Socket socket = connect(options, List.of("dot"))) {
      OutputStream out = socket.getOutputStream();
      byte[] framed = new byte[wire.length + 2];
      framed[0] = (byte) (wire.length >> 8);
      framed[1] = (byte) wire.length;
      System.arraycopy(wire, 0, framed, 2, wire.length);
      out.write(framed);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int length = in.readUnsignedShort();
      byte[] answer = new byte[length];
      in.readFully(answer);
      return answer;
    }
  }

  private static byte[] http(byte[] wire, ClientOptions options) throws IOException {
    try (Socket socket = connect(options, List.of("h2"))) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String host = options.server().getAddress().getHostAddress();
      String authority =
          (host.contains(":") ? "[" + host + "]" : host) + ":" + options.server().getPort();
      return Http2Exchange.exchange(
          in,
          out,
          options.transport() == Transport.DOH ? "https" : "http",
          authority,
          options.http().path(),
          options.http().get(),
          wire);
    }
  }

  /**
   * A connected stream: the PROXY header written where the mode puts it, TLS negotiated with {@code
   * alpn} on DoT and DoH.
   */
  private static Socket connect(ClientOptions options, List<String> alpn) throws IOException {
    Socket socket = new Socket();
    int timeout = (int) options.timeout().toMillis();
    try {
      socket.connect(options.server(), timeout);
      socket.setSoTimeout(timeout);
      socket.setTcpNoDelay(true);
      ProxyMode proxy = options.proxy().mode();
      boolean headerOutside =
          proxy == ProxyMode.PLAIN || (proxy == ProxyMode.ENCRYPTED && !options.transport().tls());
      if (headerOutside) {
        socket.getOutputStream().write(proxyHeader(options, TransportProtocol.STREAM));
        socket.getOutputStream().flush();
      }
      if (!options.transport().tls()) {
        return socket;
      }
      SSLSocket tls = TlsContexts.handshake(socket, options, alpn);
      if (proxy == ProxyMode.ENCRYPTED) {
        tls.getOutputStream().write(proxyHeader(options, TransportProtocol.STREAM));
      }
      return tls;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}
