package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * DNS over UDP and TCP to 127.0.0.1 for the tests: dnsjava's resolver as a plain client, raw
 * datagrams, and the two-byte length framing of TCP (and of DoT, over a TLS socket from {@link
 * DotClient}).
 */
final class DnsClient {
  private DnsClient() {}

  /** dnsjava's resolver as a plain client: no EDNS added, no retry over TCP on TC. */
  static SimpleResolver resolver(int port, boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    resolver.setTCP(tcp);
    resolver.setEDNS(-1);
    resolver.setIgnoreTruncation(true);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver;
  }

  /** Sends a query without EDNS over UDP or TCP and returns the response. */
  static Message query(int port, String name, int type, boolean tcp) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    return resolver(port, tcp).send(query);
  }

  /**
   * A query (RD set, as dnsjava makes it) with an OPT record advertising 1232 octets and carrying
   * {@code options}.
   */
  static Message ednsQuery(String name, int type, int dclass, EDNSOption... options)
      throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(options)), Section.ADDITIONAL);
    return query;
  }

  /** Sends {@code query} in one datagram; its parsed answer, which must come within 5 s. */
  static Message ask(int port, Message query) throws Exception {
    byte[] answer = udp(port, query.toWire(), 5000);
    assertNotNull(answer, "no answer on port " + port + " to " + query.getQuestion());
    return new Message(answer);
  }

  /** Sends raw bytes in one datagram; the reply's bytes, or null when none came within the wait. */
  static byte[] udp(int port, byte[] packet, int waitMillis) throws IOException {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(waitMillis);
      socket.send(
          new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), port));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException none) {
        return null;
      }
      return Arrays.copyOf(buffer, reply.getLength());
    }
  }

  /** A TCP connection to 127.0.0.1 {@code port} with a read timeout. */
  static Socket tcp(int port, int readTimeoutMillis) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(readTimeoutMillis);
    return socket;
  }

  /** Writes one length-framed message. */
  static void writeFramed(Socket socket, byte[] message) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(new byte[] {(byte) (message.length >> 8), (byte) message.length});
    out.write(message);
    out.flush();
  }

  /** Reads one length-framed message; null when the server closed the connection. */
  static byte[] readFramed(Socket socket) throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    int high = in.read();
    if (high < 0) {
      return null;
    }
    int length = (high << 8) | in.readUnsignedByte();
    byte[] message = new byte[length];
    in.readFully(message);
    return message;
  }
}
