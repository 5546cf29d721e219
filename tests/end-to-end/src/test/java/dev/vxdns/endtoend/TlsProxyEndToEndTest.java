package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * PROXY v2 on DoT, DoH and h2c in BIND 9.20's two modes, from a Java client that puts the header
 * where each mode wants it: {@code plain} in clear before the TLS handshake (HAProxy), {@code
 * encrypted} as the first bytes inside TLS (dnsdist). Every listener answers its own mode with the
 * header's source, and closes the connection in every other mode.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsProxyEndToEndTest {
  /** Where the client puts the header. */
  enum Mode {
    NONE,
    PLAIN,
    ENCRYPTED
  }

  /** What is spoken after the header and TLS. */
  enum Kind {
    DOT,
    DOH,
    H2C
  }

  record Listener(String name, Kind kind, Mode mode, int port) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.44", 4444);
  private static final InetSocketAddress SERVER = new InetSocketAddress("198.51.100.53", 853);

  private TestNode node;
  private SSLContext trusting;
  private final List<Listener> listeners = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    trusting = certificate.trustingContext();
    int do53 = TestNode.freePort();
    listeners.add(new Listener("dot", Kind.DOT, Mode.NONE, TestNode.freePort()));
    listeners.add(new Listener("dot-plain", Kind.DOT, Mode.PLAIN, TestNode.freePort()));
    listeners.add(new Listener("dot-encrypted", Kind.DOT, Mode.ENCRYPTED, TestNode.freePort()));
    listeners.add(new Listener("doh", Kind.DOH, Mode.NONE, TestNode.freePort()));
    listeners.add(new Listener("doh-plain", Kind.DOH, Mode.PLAIN, TestNode.freePort()));
    listeners.add(new Listener("doh-encrypted", Kind.DOH, Mode.ENCRYPTED, TestNode.freePort()));
    listeners.add(new Listener("h2c", Kind.H2C, Mode.NONE, TestNode.freePort()));
    listeners.add(new Listener("h2c-plain", Kind.H2C, Mode.PLAIN, TestNode.freePort()));
    JsonArray listenOn =
        new JsonArray().add(new JsonObject().put("address", "127.0.0.1").put("port", do53));
    for (Listener listener : listeners) {
      JsonObject entry =
          TestNode.listener(listener.port(), listener.kind().name().toLowerCase(Locale.ROOT));
      if (listener.kind() != Kind.H2C) {
        entry.put("tls", TestCertificate.TLS_NAME);
      }
      if (listener.mode() != Mode.NONE) {
        entry.put("proxy", listener.mode().name().toLowerCase(Locale.ROOT));
      }
      listenOn.add(entry);
    }
    JsonObject config = TestNode.config(do53, Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put("listen-on", listenOn)
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
        .put("whoami", "whoami.vxdns.");
    node = TestNode.start(config);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  Stream<Arguments> everyListenerInEveryMode() {
    return listeners.stream()
        .flatMap(
            listener ->
                Stream.of(Mode.values())
                    .filter(mode -> listener.kind() != Kind.H2C || mode != Mode.ENCRYPTED)
                    .map(mode -> Arguments.of(listener, mode)));
  }

  @ParameterizedTest(name = "{0} with a client in mode {1}")
  @MethodSource("everyListenerInEveryMode")
  void eachListenerAnswersItsOwnModeAndClosesOthers(Listener listener, Mode client)
      throws Exception {
    List<String> whoami = whoami(listener, client);
    if (client != listener.mode()) {
      assertNull(
          whoami, listener + " must close (or, for HTTP, answer 400) a client in mode " + client);
      return;
    }
    assertNotNull(whoami, listener + " did not answer its own mode");
    String transport = listener.kind().name().toLowerCase(Locale.ROOT);
    if (client == Mode.NONE) {
      assertEquals(
          List.of(
              "source 127.0.0.1",
              "destination 127.0.0.1#" + listener.port(),
              "transport " + transport,
              "proxy no"),
          List.of(
              whoami.get(0).replaceAll("#\\d+$", ""), whoami.get(1), whoami.get(2), whoami.get(3)));
    } else {
      assertEquals("source 192.0.2.44#4444", whoami.get(0));
      assertEquals("destination 198.51.100.53#853", whoami.get(1));
      assertEquals("transport " + transport, whoami.get(2));
      assertEquals("proxy yes, via 127.0.0.1", whoami.get(3).replaceAll("#\\d+$", ""));
    }
  }

  Stream<Arguments> digInEveryMode() {
    return everyListenerInEveryMode()
        .flatMap(
            arguments -> {
              Listener listener = (Listener) arguments.get()[0];
              Mode mode = (Mode) arguments.get()[1];
              return switch (listener.kind()) {
                case DOT -> Stream.of(Arguments.of(listener, mode, "+tls"));
                case DOH ->
                    Stream.of(
                        Arguments.of(listener, mode, "+https"),
                        Arguments.of(listener, mode, "+https-get"));
                case H2C ->
                    Stream.of(
                        Arguments.of(listener, mode, "+http-plain"),
                        Arguments.of(listener, mode, "+http-plain-get"));
              };
            });
  }

  /**
   * BIND 9.20's dig: {@code +proxy} is encrypted on TLS transports (plain without TLS), {@code
   * +proxy-plain} is plain.
   */
  @ParameterizedTest(name = "dig {2} against {0} in mode {1}")
  @MethodSource("digInEveryMode")
  void bind920DigInEveryMode(Listener listener, Mode client, String transport) throws Exception {
    Dig920 dig = Dig920.find();
    List<String> args =
        new ArrayList<>(
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(listener.port()),
                "whoami.vxdns.",
                "CH",
                "TXT",
                "+time=2",
                "+tries=1",
                "+norec",
                transport));
    String addresses = "=192.0.2.44#4444-198.51.100.53#853";
    if (client == Mode.PLAIN) {
      args.add(listener.kind() == Kind.H2C ? "+proxy" + addresses : "+proxy-plain" + addresses);
    } else if (client == Mode.ENCRYPTED) {
      args.add("+proxy" + addresses);
    }
    String output = dig.run(args);
    if (client != listener.mode()) {
      assertFalse(
          output.contains("status: NOERROR"),
          listener + " answered dig in mode " + client + ":\n" + output);
      return;
    }
    assertTrue(output.contains("status: NOERROR"), output);
    if (client == Mode.NONE) {
      assertTrue(output.contains("\"proxy no\""), output);
    } else {
      assertTrue(output.contains("\"source 192.0.2.44#4444\""), output);
      assertTrue(output.contains("\"destination 198.51.100.53#853\""), output);
    }
    assertTrue(
        output.contains("\"transport " + listener.kind().name().toLowerCase(Locale.ROOT) + "\""),
        output);
  }

  /**
   * HAProxy in TCP mode passes TLS through untouched and sends its header in clear before it: plain
   * mode.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"dot-plain", "doh-plain"})
  void haproxyPassingTlsThroughWithSendProxyV2(String backend, @TempDir Path dir) throws Exception {
    Peer.assumeInstalled("haproxy", "haproxy");
    Listener target =
        listeners.stream().filter(l -> l.name().equals(backend)).findFirst().orElseThrow();
    int haproxyPort = TestNode.freePort();
    Path config = dir.resolve("haproxy.cfg");
    java.nio.file.Files.writeString(
        config,
        String.join(
            "\n",
            "defaults",
            "  mode tcp",
            "  timeout connect 2s",
            "  timeout client 10s",
            "  timeout server 10s",
            "frontend tls",
            "  bind 127.0.0.1:" + haproxyPort,
            "  default_backend vxdns",
            "backend vxdns",
            "  server vxdns 127.0.0.1:" + target.port() + " send-proxy-v2",
            ""));
    Listener viaHaproxy = new Listener("haproxy", target.kind(), Mode.NONE, haproxyPort);
    try (Peer haproxy =
        Peer.start(dir, List.of(Peer.path("haproxy"), "-db", "-f", config.toString()))) {
      List<String> lines =
          ProxyInteropTest.eventually(
              haproxy,
              () -> {
                List<String> answer = whoami(viaHaproxy, Mode.NONE);
                if (answer == null) {
                  throw new IOException("no answer through haproxy yet");
                }
                return answer;
              });
      assertTrue(lines.get(0).startsWith("source 127.0.0.1#"), lines.toString());
      assertEquals(
          "destination 127.0.0.1#" + haproxyPort,
          lines.get(1),
          "the address the client connected to");
      assertTrue(lines.get(3).startsWith("proxy yes, via 127.0.0.1#"), lines.toString());
    }
  }

  /** The hooks are found by host and port: an IPv6 listener's host string must match too. */
  @Test
  void plainOnDohOverIpv6Loopback(@TempDir Path dir) throws Exception {
    Requires.that(ipv6LoopbackWorks(), "::1 is not available here");
    TestCertificate certificate = TestCertificate.create(dir);
    int port = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("address", "::1")
                        .put("port", port)
                        .put("transport", "doh")
                        .put("tls", TestCertificate.TLS_NAME)
                        .put("proxy", "plain")))
        .put("allow-proxy", new JsonArray().add("::1"))
        .put("whoami", "whoami.vxdns.");
    try (TestNode ipv6 = TestNode.start(config)) {
      byte[] plainHeader =
          ProxyEncoder.encode(
              ProxyHeader.proxy(
                  TransportProtocol.STREAM,
                  new InetSocketAddress("2001:db8::7", 7777),
                  new InetSocketAddress("2001:db8::53", 443)));
      try (SSLSocket tls =
          DotClient.connect(
              certificate.trustingContext(),
              new InetSocketAddress("::1", port),
              5000,
              null,
              plainHeader,
              null)) {
        List<String> lines = ProxyEndToEndTest.txt(dohPost(tls, port, whoamiQuery()));
        assertEquals("source 2001:db8::7#7777", lines.get(0));
        assertEquals("proxy yes, via ::1", lines.get(3).replaceAll("#\\d+$", ""));
      }
    }
  }

  /**
   * BIND 9.20's dig sends an unbracketed IPv6 {@code :authority} ({@code ::1:port}) with {@code
   * +https} and {@code +http-plain}; Vert.x reset such streams with PROTOCOL_ERROR ("communications
   * error" in dig) until {@code Http2AuthorityFix}. Every DoH mode on {@code ::1}: POST and GET, on
   * TLS and h2c, without PROXY and with each PROXY placement the listener takes.
   */
  @Test
  void bind920DigOnEveryDohModeOverIpv6Loopback(@TempDir Path dir) throws Exception {
    Requires.that(ipv6LoopbackWorks(), "::1 is not available here");
    Dig920 dig = Dig920.find();
    TestCertificate certificate = TestCertificate.create(dir);
    List<Listener> ipv6Listeners =
        List.of(
            new Listener("doh6", Kind.DOH, Mode.NONE, TestNode.freePort()),
            new Listener("doh6-plain", Kind.DOH, Mode.PLAIN, TestNode.freePort()),
            new Listener("doh6-encrypted", Kind.DOH, Mode.ENCRYPTED, TestNode.freePort()),
            new Listener("h2c6", Kind.H2C, Mode.NONE, TestNode.freePort()),
            new Listener("h2c6-plain", Kind.H2C, Mode.PLAIN, TestNode.freePort()));
    JsonArray listenOn = new JsonArray();
    for (Listener listener : ipv6Listeners) {
      JsonObject entry =
          new JsonObject()
              .put("address", "::1")
              .put("port", listener.port())
              .put("transport", listener.kind().name().toLowerCase(Locale.ROOT));
      if (listener.kind() != Kind.H2C) {
        entry.put("tls", TestCertificate.TLS_NAME);
      }
      if (listener.mode() != Mode.NONE) {
        entry.put("proxy", listener.mode().name().toLowerCase(Locale.ROOT));
      }
      listenOn.add(entry);
    }
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put("listen-on", listenOn)
        .put("allow-proxy", new JsonArray().add("::1"))
        .put("whoami", "whoami.vxdns.");
    List<String> failures = new ArrayList<>();
    int cases = 0;
    try (TestNode ipv6 = TestNode.start(config)) {
      for (Listener listener : ipv6Listeners) {
        List<String> transports =
            listener.kind() == Kind.H2C
                ? List.of("+http-plain", "+http-plain-get")
                : List.of("+https", "+https-get");
        for (String transport : transports) {
          List<String> args =
              new ArrayList<>(
                  List.of(
                      "@::1",
                      "-p",
                      Integer.toString(listener.port()),
                      "whoami.vxdns.",
                      "CH",
                      "TXT",
                      "+time=2",
                      "+tries=1",
                      "+norec",
                      transport));
          String addresses = "=2001:db8::7#7777-2001:db8::53#443";
          if (listener.mode() == Mode.PLAIN) {
            args.add(
                listener.kind() == Kind.H2C ? "+proxy" + addresses : "+proxy-plain" + addresses);
          } else if (listener.mode() == Mode.ENCRYPTED) {
            args.add("+proxy" + addresses);
          }
          cases++;
          String output = dig.run(args);
          String source =
              listener.mode() == Mode.NONE ? "\"source ::1#" : "\"source 2001:db8::7#7777\"";
          if (!output.contains("status: NOERROR") || !output.contains(source)) {
            failures.add(listener + " " + transport + ":\n" + output);
          }
        }
      }
    }
    assertEquals(10, cases);
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  /**
   * BIND's http-listener-clients: connections beyond it are closed at once, and a closed one frees
   * its place.
   */
  @Test
  void httpListenerClientsCapsConnections() throws Exception {
    int port = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put("listen-on", new JsonArray().add(TestNode.listener(port, "h2c")))
        .put("http-listener-clients", 2)
        .put("whoami", "whoami.vxdns.");
    try (TestNode capped = TestNode.start(config);
        Socket first = new Socket("127.0.0.1", port);
        Socket second = new Socket("127.0.0.1", port)) {
      // Answered and kept open: both hold their place before the third connects.
      keepAlivePost(first, port);
      keepAlivePost(second, port);
      Listener h2c = new Listener("h2c", Kind.H2C, Mode.NONE, port);
      assertNull(whoami(h2c, Mode.NONE), "a third connection is closed");
      first.close();
      // The server sees the close asynchronously: a new connection gets the place within a bounded
      // wait.
      List<String> answer = null;
      for (int attempt = 0; attempt < 20 && answer == null; attempt++) {
        answer = whoami(h2c, Mode.NONE);
        if (answer == null) {
          Thread.sleep(100);
        }
      }
      assertNotNull(answer, "the place of the closed connection is free again");
      assertEquals("transport h2c", answer.get(2));
    }
  }

  /** An HTTP/1.1 POST on a connection that stays open; returns once the whole response is read. */
  private static void keepAlivePost(Socket socket, int port) throws IOException {
    socket.setSoTimeout(5000);
    byte[] query = whoamiQuery();
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /dns-query HTTP/1.1\r\nHost: localhost:"
                + port
                + "\r\nContent-Type: application/dns-message\r\n"
                + "Content-Length: "
                + query.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(query);
    out.flush();
    java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertTrue(b >= 0, "closed before the response: " + head);
      head.append((char) b);
    }
    assertTrue(head.toString().startsWith("HTTP/1.1 200 "), head.toString());
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
    assertTrue(length.find(), head.toString());
    in.readFully(new byte[Integer.parseInt(length.group(1))]);
  }

  private static boolean ipv6LoopbackWorks() {
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("::1"))) {
      return true;
    } catch (IOException unavailable) {
      return false;
    }
  }

  @Test
  void aVertxWithoutTheNodesTransportRefusesPlainOnTlsClearly(@TempDir Path dir) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(TestCertificate.listener("dot", TestNode.freePort()).put("proxy", "plain")));
    io.vertx.core.Vertx plainVertx = io.vertx.core.Vertx.vertx();
    try {
      Throwable failure =
          TestNode.startOnOwnVertx(plainVertx, config, dir)
              .toCompletionStage()
              .toCompletableFuture()
              .handle((node, error) -> error)
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertNotNull(failure, "the node must not start");
      assertTrue(
          String.valueOf(failure.getMessage()).contains("NodeTransport"), String.valueOf(failure));
    } finally {
      plainVertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aPlainHeaderCutIntoPiecesAndFollowedByTheClientHelloInOneWriteStillWorks() throws Exception {
    Listener dohPlain =
        listeners.stream().filter(l -> l.name().equals("doh-plain")).findFirst().orElseThrow();
    byte[] header = header();
    try (Socket raw = DotClient.tcp("127.0.0.1", dohPlain.port(), 5000)) {
      raw.setTcpNoDelay(true);
      OutputStream out = raw.getOutputStream();
      out.write(header, 0, 5);
      out.flush();
      Thread.sleep(50);
      // The rest of the header goes out with the ClientHello: the server must split them.
      SSLSocket tls = DotClient.tls(trusting, new PrefixedSocket(raw, header, 5), null);
      List<String> lines = ProxyEndToEndTest.txt(dohPost(tls, dohPlain.port(), whoamiQuery()));
      assertEquals("source 192.0.2.44#4444", lines.get(0));
    }
  }

  private List<String> whoami(Listener listener, Mode client) throws Exception {
    try (Socket socket = connect(listener, client)) {
      byte[] response =
          listener.kind() == Kind.DOT
              ? dotExchange(socket, whoamiQuery())
              : dohPost(socket, listener.port(), whoamiQuery());
      return response == null ? null : ProxyEndToEndTest.txt(response);
    } catch (IOException refused) {
      // a failed handshake or a reset: the listener refused this mode
      return null;
    }
  }

  /** A connection to the listener with the client's header where {@code mode} puts it. */
  private Socket connect(Listener listener, Mode mode) throws Exception {
    if (listener.kind() == Kind.H2C) {
      Socket raw = DotClient.tcp("127.0.0.1", listener.port(), 5000);
      if (mode != Mode.NONE) {
        raw.getOutputStream().write(header());
      }
      return raw;
    }
    return DotClient.connect(
        trusting,
        new InetSocketAddress("127.0.0.1", listener.port()),
        5000,
        listener.kind() == Kind.DOT ? "dot" : "http/1.1",
        mode == Mode.PLAIN ? header() : null,
        mode == Mode.ENCRYPTED ? header() : null);
  }

  private static byte[] header() {
    return ProxyEncoder.encode(ProxyHeader.proxy(TransportProtocol.STREAM, CLIENT, SERVER));
  }

  private static byte[] whoamiQuery() throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString("whoami.vxdns."), Type.TXT, DClass.CH))
        .toWire();
  }

  private static byte[] dotExchange(Socket socket, byte[] query) throws IOException {
    DnsClient.writeFramed(socket, query);
    return DnsClient.readFramed(socket);
  }

  /**
   * An HTTP/1.1 POST of {@code query}; the body of a 200 answer, or null for another status (a
   * listener without PROXY reads a header inside TLS as a bad request) or a closed connection.
   */
  static byte[] dohPost(Socket socket, int port, byte[] query) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /dns-query HTTP/1.1\r\nHost: localhost:"
                + port
                + "\r\nContent-Type: application/dns-message\r\n"
                + "Accept: application/dns-message\r\nContent-Length: "
                + query.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(query);
    out.flush();
    byte[] reply = readAll(socket.getInputStream());
    if (reply.length == 0) {
      return null;
    }
    String text = new String(reply, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 200 ")) {
      return null;
    }
    return java.util.Arrays.copyOfRange(reply, end + 4, reply.length);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] chunk = new byte[4096];
    try {
      for (int n; (n = in.read(chunk)) > 0; ) {
        all.write(chunk, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // what came before the reset is the reply
    }
    return all.toByteArray();
  }

  /**
   * A socket whose first write is prefixed with the rest of a header: the header's tail and the
   * ClientHello reach the server in one segment.
   */
  private static final class PrefixedSocket extends Socket {
    private final Socket inner;
    private final byte[] prefix;

    PrefixedSocket(Socket inner, byte[] header, int alreadySent) {
      this.inner = inner;
      this.prefix = java.util.Arrays.copyOfRange(header, alreadySent, header.length);
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return inner.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      OutputStream out = inner.getOutputStream();
      return new OutputStream() {
        private boolean first = true;

        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
          if (first) {
            first = false;
            byte[] joined = new byte[prefix.length + length];
            System.arraycopy(prefix, 0, joined, 0, prefix.length);
            System.arraycopy(bytes, offset, joined, prefix.length, length);
            out.write(joined);
          } else {
            out.write(bytes, offset, length);
          }
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }
      };
    }

    @Override
    public boolean isConnected() {
      return inner.isConnected();
    }

    @Override
    public int getPort() {
      return inner.getPort();
    }

    @Override
    public void setSoTimeout(int timeout) throws java.net.SocketException {
      inner.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws java.net.SocketException {
      return inner.getSoTimeout();
    }

    @Override
    public synchronized void close() throws IOException {
      inner.close();
    }
  }
}
