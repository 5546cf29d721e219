package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vxdns.endtoend.Http2Client.Flood;
import dev.vxdns.endtoend.Http2Client.Frame;
import dev.vxdns.endtoend.Http2Client.Response;
import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Bad input on the TLS transports (DoT, DoH) and on h2c: bytes that are not TLS, handshakes that
 * never finish, HTTP/2 rapid reset and stream floods, oversize headers, and many abandoned
 * connections. Each case must end in a clear rejection (a close, an HTTP status, an HTTP/2 stream
 * or connection error), the node must go on answering new connections, and the server-side sockets,
 * counted by the kernel in {@code /proc/net/tcp}, must go back to zero. (A DoH body above 65535
 * bytes getting 413 is {@link DohEndToEndTest}'s.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsBadInputEndToEndTest {
  /** tcp-initial-timeout 25 (2.5 s, set by {@link TestNode#config}) bounds the TLS handshake. */
  private static final long INITIAL_TIMEOUT_MILLIS = 2500;

  /**
   * tcp-idle-timeout 30 (3 s) here: the only timeout an HTTP connection that finished its handshake
   * gets.
   */
  private static final int IDLE_TIMEOUT_TENTHS = 30;

  private static final long IDLE_TIMEOUT_MILLIS = IDLE_TIMEOUT_TENTHS * 100L;

  /** What DohTransportVerticle sets: HTTP/1.1 max header size, HTTP/2 max header list size. */
  private static final int MAX_HEADER_SIZE = 8192;

  /**
   * http-streams-per-connection here, which DohTransportVerticle advertises as
   * SETTINGS_MAX_CONCURRENT_STREAMS.
   */
  private static final int MAX_CONCURRENT_STREAMS = 32;

  /** DoT connections {@link #abandonedConnectionsAreAllClosedByTheServer} leaves behind. */
  private static final int ABANDONED_DOT = 300;

  /** The three listeners under test. */
  enum Port {
    DOT,
    DOH,
    H2C
  }

  /** How an HTTP/2 test reaches the server. */
  enum H2Transport {
    H2_OVER_TLS,
    H2C_PRIOR_KNOWLEDGE
  }

  /** Bytes that are not TLS, sent where a ClientHello is expected. */
  enum Garbage {
    RANDOM_BYTES,
    HTTP_REQUEST_IN_CLEAR,
    DNS_MESSAGE_IN_CLEAR
  }

  private TestNode node;
  private SSLContext trusting;
  private final Map<Port, Integer> ports = new LinkedHashMap<>();
  private byte[] clientHello;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    trusting = certificate.trustingContext();
    int do53 = TestNode.freePort();
    for (Port port : Port.values()) {
      ports.put(port, TestNode.freePort());
    }
    JsonObject config = TestNode.config(do53, Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config.put("http", TestNode.localHttp());
    config
        .getJsonObject("options")
        .put("tcp-idle-timeout", IDLE_TIMEOUT_TENTHS)
        // tcp-clients counts DoT connections from accept: room for the 300 abandoned ones, which
        // must be closed by the timeouts, not refused by the cap.
        .put("tcp-clients", ABANDONED_DOT + 100)
        .put("http-streams-per-connection", MAX_CONCURRENT_STREAMS)
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", do53))
                .add(TestCertificate.listener("dot", port(Port.DOT)))
                .add(TestCertificate.listener("doh", port(Port.DOH)).put("http", "local-http"))
                .add(TestNode.listener(port(Port.H2C), "h2c")));
    node = TestNode.start(config);
    clientHello = clientHello();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private int port(Port port) {
    return ports.get(port);
  }

  // ---------------------------------------------------------------------------------------------
  // Not TLS where TLS is expected

  @ParameterizedTest(name = "{1} to the {0} port")
  @MethodSource("tlsPortsAndGarbage")
  void bytesThatAreNotTlsAreRejectedPromptlyAndOthersAreServed(Port target, Garbage garbage)
      throws Exception {
    try (Socket socket = rawSocket(port(target))) {
      OutputStream out = socket.getOutputStream();
      out.write(garbage(garbage, port(target)));
      out.flush();
      Closed closed = awaitClosed(socket, 5000);
      assertAtMostAnAlert(closed, target + " after " + garbage);
    }
    assertServing(target);
    awaitNoServerConnections(target, 5000);
  }

  Stream<Arguments> tlsPortsAndGarbage() {
    return Stream.of(Port.DOT, Port.DOH)
        .flatMap(
            port -> Arrays.stream(Garbage.values()).map(garbage -> Arguments.of(port, garbage)));
  }

  /**
   * Nothing but TLS alerts (content type 21) came before the close: no HTTP status, no DNS answer.
   */
  private static void assertAtMostAnAlert(Closed closed, String what) {
    byte[] received = closed.received();
    assertTrue(
        received.length == 0 || received[0] == 0x15,
        what
            + ": at most a TLS alert before the close, got "
            + received.length
            + " bytes: "
            + new String(received, StandardCharsets.ISO_8859_1));
  }

  private byte[] garbage(Garbage garbage, int port) throws IOException {
    switch (garbage) {
      case RANDOM_BYTES:
        {
          byte[] bytes = new byte[512];
          new Random(20261124).nextBytes(bytes);
          return bytes;
        }
      case HTTP_REQUEST_IN_CLEAR:
        return ("GET /dns-query?dns="
                + DohClient.base64url(query("example.test.", Type.SOA))
                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                + port
                + "\r\nAccept: application/dns-message\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
      default:
        {
          byte[] query = query("example.test.", Type.SOA);
          ByteArrayOutputStream framed = new ByteArrayOutputStream();
          framed.write(query.length >> 8);
          framed.write(query.length);
          framed.write(query);
          return framed.toByteArray();
        }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Handshakes that never finish

  /**
   * Silent clients and clients that stop in the middle of their ClientHello, all at once on DoT and
   * DoH: each is closed by the TLS handshake timeout (tcp-initial-timeout), not before it, and well
   * within a bound; the node serves others meanwhile.
   */
  @Test
  void handshakesThatNeverFinishAreClosedAfterTheInitialTimeout() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> connected = new ArrayList<>();
    long started = System.nanoTime();
    try {
      for (Port target : List.of(Port.DOT, Port.DOH)) {
        sockets.add(rawSocket(port(target)));
        names.add(target + " silent");
        connected.add(System.nanoTime());
        Socket partial = rawSocket(port(target));
        partial.getOutputStream().write(clientHello, 0, clientHello.length / 2);
        partial.getOutputStream().flush();
        sockets.add(partial);
        names.add(target + " half a ClientHello");
        connected.add(System.nanoTime());
      }
      assertServing(Port.DOT);
      assertServing(Port.DOH);
      for (int i = 0; i < sockets.size(); i++) {
        Closed closed = awaitClosed(sockets.get(i), Math.max(1, 10_000 - elapsedMillis(started)));
        // Measured from after the connect: never more than the server's own wait.
        long waited = elapsedMillis(connected.get(i));
        assertTrue(
            waited >= INITIAL_TIMEOUT_MILLIS - 500,
            names.get(i) + ": closed after " + waited + " ms, before the 2.5 s timeout");
        assertAtMostAnAlert(closed, names.get(i));
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    awaitNoServerConnections(Port.DOT, 5000);
    awaitNoServerConnections(Port.DOH, 5000);
  }

  // ---------------------------------------------------------------------------------------------
  // HTTP/2

  /**
   * CVE-2023-44487: 2,000 streams (GETs, and POSTs whose body never comes), each HEADERS at once
   * followed by RST_STREAM, in one burst. The listener caps resets at 200 per 30 s, so the server
   * must answer with GOAWAY and close (or, at the least, keep working on that connection); a fresh
   * connection is answered afterwards and no socket stays.
   */
  @ParameterizedTest
  @EnumSource(H2Transport.class)
  void rapidResetIsCutOffAndTheServerKeepsServing(H2Transport transport) throws Exception {
    Port target = transport == H2Transport.H2_OVER_TLS ? Port.DOH : Port.H2C;
    Flood result;
    try (Http2Client h2 = h2(transport)) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      byte[] get = h2.getHeaders(query("www.example.test.", Type.A));
      byte[] post = h2.postHeaders(40);
      for (int i = 0; i < 2000; i++) {
        // Half complete GETs, half POSTs cancelled before their body: both kinds of work the server
        // starts.
        int stream = 1 + 2 * i;
        if (i % 2 == 0) {
          Http2Client.frame(
              burst,
              Http2Client.HEADERS,
              Http2Client.END_HEADERS | Http2Client.END_STREAM,
              stream,
              get);
        } else {
          Http2Client.frame(burst, Http2Client.HEADERS, Http2Client.END_HEADERS, stream, post);
        }
        Http2Client.frame(
            burst, Http2Client.RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8}); // CANCEL
      }
      CompletableFuture<Flood> reader = CompletableFuture.supplyAsync(() -> h2.drain(3000));
      boolean cutOffWhileWriting = false;
      try {
        h2.out.write(burst.toByteArray());
        h2.out.flush();
      } catch (IOException closedUnderUs) {
        cutOffWhileWriting = true;
      }
      result = reader.get(20, TimeUnit.SECONDS);
      System.out.printf(
          "rapid reset over %s: %s, cut off while writing: %s%n",
          transport, result, cutOffWhileWriting);
      if (result.goaway() == null && !result.closed()) {
        // The server kept the connection: then it must still answer on it.
        Response response = h2.get(5001, query("example.test.", Type.SOA));
        assertEquals(200, response.status(), "a connection that survived the flood still answers");
      } else {
        // 1,000 GETs in the flood could be answered; a flood cut off at its 200th reset answers
        // about 100.
        assertTrue(
            result.answered() < 1000,
            "the flood was cut off, yet all " + result.answered() + " GETs were answered");
      }
    }
    assertServing(target);
    awaitNoServerConnections(target, 5000);
  }

  /**
   * A client that cancels its requests (RST_STREAM before the POST body) is ordinary HTTP/2: the
   * node must not log each one as a server error.
   */
  @Test
  void streamsTheClientResetsAreNotLoggedAsServerErrors() throws Exception {
    List<LogRecord> severe = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
              severe.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try (Http2Client h2 = h2(H2Transport.H2C_PRIOR_KNOWLEDGE)) {
      ByteArrayOutputStream cancelled = new ByteArrayOutputStream();
      for (int i = 0; i < 20; i++) {
        Http2Client.frame(
            cancelled, Http2Client.HEADERS, Http2Client.END_HEADERS, 1 + 2 * i, h2.postHeaders(40));
        Http2Client.frame(
            cancelled, Http2Client.RST_STREAM, 0, 1 + 2 * i, new byte[] {0, 0, 0, 8}); // CANCEL
      }
      h2.out.write(cancelled.toByteArray());
      h2.out.flush();
      // Answered after the cancelled ones: the server has seen them all.
      assertEquals(200, h2.get(41, query("example.test.", Type.SOA)).status());
    } finally {
      Thread.sleep(200);
      root.removeHandler(capture);
    }
    assertEquals(
        List.of(),
        severe.stream().map(r -> r.getMessage() + ": " + r.getThrown()).toList(),
        "SEVERE log records");
  }

  /**
   * The server advertises http-streams-per-connection as SETTINGS_MAX_CONCURRENT_STREAMS and
   * refuses the streams beyond it (RST_STREAM REFUSED_STREAM, RFC 9113 section 5.1.2) while the
   * others go on: here 40 POSTs whose bodies never come, then one body.
   */
  @ParameterizedTest
  @EnumSource(H2Transport.class)
  void streamsBeyondMaxConcurrentStreamsAreRefused(H2Transport transport) throws Exception {
    Port target = transport == H2Transport.H2_OVER_TLS ? Port.DOH : Port.H2C;
    try (Http2Client h2 = h2(transport)) {
      assertEquals(
          MAX_CONCURRENT_STREAMS,
          h2.serverSettings.get(Http2Client.SETTINGS_MAX_CONCURRENT_STREAMS),
          "SETTINGS_MAX_CONCURRENT_STREAMS");
      assertEquals(
          MAX_HEADER_SIZE,
          h2.serverSettings.get(Http2Client.SETTINGS_MAX_HEADER_LIST_SIZE),
          "SETTINGS_MAX_HEADER_LIST_SIZE");
      byte[] query = query("example.test.", Type.SOA);
      int streams = MAX_CONCURRENT_STREAMS + 8;
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < streams; i++) {
        Http2Client.frame(
            burst,
            Http2Client.HEADERS,
            Http2Client.END_HEADERS,
            1 + 2 * i,
            h2.postHeaders(query.length));
      }
      h2.out.write(burst.toByteArray());
      h2.out.flush();
      List<Integer> refused = new ArrayList<>();
      Frame frame;
      while (refused.size() < streams - MAX_CONCURRENT_STREAMS && (frame = h2.read()) != null) {
        assertFalse(
            frame.type() == Http2Client.GOAWAY, "a stream error, not a connection error: " + frame);
        if (frame.type() == Http2Client.RST_STREAM) {
          assertEquals(
              Http2Client.REFUSED_STREAM,
              frame.errorCode(),
              "RST_STREAM error code for stream " + frame.stream());
          refused.add(frame.stream());
        }
      }
      List<Integer> expected = new ArrayList<>();
      for (int i = MAX_CONCURRENT_STREAMS; i < streams; i++) {
        expected.add(1 + 2 * i);
      }
      assertEquals(expected, refused, "the streams beyond the limit are refused");
      // The streams within the limit are still open and one of them is answered when its body
      // comes.
      h2.frame(Http2Client.DATA, Http2Client.END_STREAM, 1, query);
      Response response = h2.response(1);
      assertEquals(200, response.status());
      assertEquals(Rcode.NOERROR, new Message(response.body()).getRcode());
    }
    awaitNoServerConnections(target, 5000);
  }

  /**
   * A header block beyond SETTINGS_MAX_HEADER_LIST_SIZE (8192): a little beyond is a stream error
   * (431 or RST_STREAM), far beyond and a header block that never ends (CONTINUATION frames without
   * END_HEADERS) are connection errors. In every case a fresh connection is answered.
   */
  @ParameterizedTest
  @EnumSource(H2Transport.class)
  void headerBlocksBeyondTheMaxHeaderListSizeAreRejected(H2Transport transport) throws Exception {
    Port target = transport == H2Transport.H2_OVER_TLS ? Port.DOH : Port.H2C;
    byte[] query = query("example.test.", Type.SOA);
    // A little beyond: the stream is rejected.
    try (Http2Client h2 = h2(transport)) {
      byte[] block = h2.getHeaders(query, "x-padding", "a".repeat(MAX_HEADER_SIZE + 1000));
      h2.headerBlock(1, block, true);
      Response response = h2.response(1);
      System.out.printf(
          "h2 header list of %d bytes over %s: %s%n", block.length, transport, response);
      assertTrue(
          response.status() == 431
              || response.status() == 400
              || response.reset() != null
              || response.goaway() != null
              || response.closed(),
          "rejected: " + response);
      assertTrue(response.status() != 200, "never answered");
      if (response.goaway() == null && !response.closed()) {
        assertEquals(
            200, h2.get(3, query).status(), "a stream error leaves the connection working");
      }
    }
    // Far beyond, and a header block that never ends: the connection goes.
    for (boolean endless : new boolean[] {false, true}) {
      try (Http2Client h2 = h2(transport)) {
        CompletableFuture<Flood> reader = CompletableFuture.supplyAsync(() -> h2.drain(5000));
        try {
          if (endless) {
            byte[] chunk = new byte[16_000];
            Arrays.fill(
                chunk, (byte) 0x40); // nonsense: never decoded, since END_HEADERS never comes
            Http2Client.frame(h2.out, Http2Client.HEADERS, 0, 1, h2.getHeaders(query));
            for (int i = 0; i < 64; i++) {
              Http2Client.frame(h2.out, Http2Client.CONTINUATION, 0, 1, chunk);
            }
          } else {
            h2.headerBlock(
                1, h2.getHeaders(query, "x-padding", "a".repeat(8 * MAX_HEADER_SIZE)), true);
          }
          h2.out.flush();
        } catch (IOException closedUnderUs) {
          // the server may close before it has read everything
        }
        Flood result = reader.get(20, TimeUnit.SECONDS);
        System.out.printf(
            "h2 %s over %s: %s%n",
            endless ? "endless CONTINUATION" : "header list of 64 KiB", transport, result);
        assertEquals(0, result.answered(), "never answered");
        assertTrue(
            result.goaway() != null || result.closed() || (!endless && result.resets() > 0),
            "rejected: " + result);
      }
    }
    assertServing(target);
    awaitNoServerConnections(target, 5000);
  }

  /**
   * HTTP/1.1 with one header beyond the 8192-byte max header size, and a request line beyond 4096
   * bytes: an error status (431, 414 or 400) and/or a close, never an answer.
   */
  @ParameterizedTest
  @EnumSource(
      value = Port.class,
      names = {"DOH", "H2C"})
  void http11RequestsBeyondTheSizeLimitsAreRejected(Port target) throws Exception {
    String get = "GET /dns-query?dns=" + DohClient.base64url(query("example.test.", Type.SOA));
    String host = "Host: 127.0.0.1:" + port(target) + "\r\n";
    String bigHeader =
        get
            + " HTTP/1.1\r\n"
            + host
            + "X-Padding: "
            + "a".repeat(MAX_HEADER_SIZE + 1000)
            + "\r\n\r\n";
    String bigLine = get + "&pad=" + "a".repeat(5000) + " HTTP/1.1\r\n" + host + "\r\n";
    for (String request : List.of(bigHeader, bigLine)) {
      try (Socket socket = http11Socket(target)) {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        byte[] reply = readUntilClosed(socket, 5000);
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        System.out.printf(
            "HTTP/1.1 on %s, %d-byte request: %s%n",
            target, request.length(), text.lines().findFirst().orElse("(closed)"));
        assertTrue(
            reply.length == 0 || text.matches("(?s)HTTP/1\\.[01] (431|414|400) .*"),
            "an error status or a close: " + text);
      }
    }
    assertServing(target);
    awaitNoServerConnections(target, 5000);
  }

  // ---------------------------------------------------------------------------------------------
  // Clients that trickle

  /**
   * A DoT client that sends a DNS message one byte at a time, slower than it could ever finish: the
   * connection's timer counts from the last complete query, not the last byte, so it is closed at
   * tcp-initial-timeout all the same.
   */
  @Test
  void aDotClientThatTricklesAMessageIsClosedAtTheInitialTimeout() throws Exception {
    try (SSLSocket socket = tls(rawSocket(port(Port.DOT)), "dot")) {
      long started = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      out.write(new byte[] {(byte) 0xFF, (byte) 0xFF}); // announces 65535 bytes
      long closedAfter = trickle(socket, () -> out.write('a'), INITIAL_TIMEOUT_MILLIS + 4000);
      System.out.printf("DoT trickle closed after %d ms%n", closedAfter);
      assertTrue(
          closedAfter >= 0,
          "the server kept a trickling DoT connection for " + elapsedMillis(started) + " ms");
    }
    awaitNoServerConnections(Port.DOT, 5000);
  }

  /** How an HTTP client keeps a connection busy without ever finishing a request. */
  enum HttpTrickle {
    DOH_HTTP11_HEADER_BYTE_BY_BYTE,
    DOH_H2_PINGS,
    H2C_HTTP11_HEADER_BYTE_BY_BYTE,
    H2C_H2_PINGS
  }

  /**
   * An HTTP/1.1 request on h2c whose header never ends (one byte every 500 ms): the HTTP decoder
   * holds the bytes, so Vert.x's idle timer does not see them and closes the connection at
   * tcp-idle-timeout.
   */
  @ParameterizedTest
  @EnumSource(value = HttpTrickle.class, names = "H2C_HTTP11_HEADER_BYTE_BY_BYTE")
  void anHttpClientThatNeverFinishesARequestIsClosedWithinTheTimeouts(HttpTrickle how)
      throws Exception {
    assertClosedWhileTrickling(how);
  }

  /**
   * The same on DoH for an HTTP/1.1 header trickled byte by byte, and on DoH and h2c for an HTTP/2
   * connection that sends a PING every 500 ms and never a request: these stay open well beyond
   * tcp-initial-timeout and tcp-idle-timeout together (a DoT client that trickles is closed at
   * tcp-initial-timeout, see above).
   */
  @ParameterizedTest
  @EnumSource(
      value = HttpTrickle.class,
      names = "H2C_HTTP11_HEADER_BYTE_BY_BYTE",
      mode = EnumSource.Mode.EXCLUDE)
  void httpClientsThatKeepAConnectionBusyWithoutARequestAreClosedWithinTheTimeouts(HttpTrickle how)
      throws Exception {
    assertClosedWhileTrickling(how);
  }

  private void assertClosedWhileTrickling(HttpTrickle how) throws Exception {
    Port target = how.name().startsWith("DOH") ? Port.DOH : Port.H2C;
    long bound = INITIAL_TIMEOUT_MILLIS + IDLE_TIMEOUT_MILLIS + 3000;
    long closedAfter;
    if (how.name().endsWith("PINGS")) {
      try (Http2Client h2 =
          h2(target == Port.DOH ? H2Transport.H2_OVER_TLS : H2Transport.H2C_PRIOR_KNOWLEDGE)) {
        closedAfter =
            trickle(h2.socket, () -> h2.frame(Http2Client.PING, 0, 0, new byte[8]), bound);
      }
    } else {
      try (Socket socket = http11Socket(target)) {
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET /dns-query?dns="
                    + DohClient.base64url(query("example.test.", Type.SOA))
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .getBytes(StandardCharsets.US_ASCII));
        closedAfter = trickle(socket, () -> out.write('a'), bound);
      }
    }
    System.out.printf("%s closed after %d ms%n", how, closedAfter);
    assertTrue(
        closedAfter >= 0,
        how
            + ": the server kept the connection for "
            + bound
            + " ms, beyond tcp-initial-timeout"
            + " and tcp-idle-timeout together");
    awaitNoServerConnections(target, 5000);
  }

  interface Send {
    void send() throws IOException;
  }

  /**
   * Sends something every 500 ms (discarding what the server sends back) until the server closes
   * the connection or {@code maxMillis} pass; how long the server took to close, or -1.
   */
  private static long trickle(Socket socket, Send send, long maxMillis) throws IOException {
    long started = System.nanoTime();
    byte[] buffer = new byte[4096];
    socket.setSoTimeout(500);
    InputStream in = socket.getInputStream();
    while (elapsedMillis(started) < maxMillis) {
      try {
        if (in.read(buffer) < 0) {
          return elapsedMillis(started);
        }
      } catch (SocketTimeoutException quiet) {
        try {
          send.send();
        } catch (IOException closed) {
          return elapsedMillis(started);
        }
      } catch (IOException reset) {
        return elapsedMillis(started);
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------
  // Many abandoned connections

  /**
   * 300 connections to DoT (silent or half a ClientHello) and 150 each to DoH and h2c (silent, half
   * a ClientHello, a finished handshake and half an HTTP request, half an HTTP/2 preface, an HTTP/2
   * stream whose body never comes), some closed by the client at once, the rest just left: the
   * kernel's count of server-side sockets on each port must come back to zero within the listener's
   * timeouts, and the node must answer afterwards.
   */
  @Test
  void abandonedConnectionsAreAllClosedByTheServer() throws Exception {
    assumeProcNetTcp();
    List<Socket> sockets = new ArrayList<>();
    try {
      long started = System.nanoTime();
      // The HTTP ones first: some need a handshake, and all live longer than a DoT one.
      for (int i = 0; i < 150; i++) {
        sockets.add(abandonedHttp(Port.DOH, i));
        sockets.add(abandonedHttp(Port.H2C, i));
      }
      for (int i = 0; i < ABANDONED_DOT; i++) {
        Socket socket = rawSocket(port(Port.DOT));
        if (i % 2 == 1) {
          socket.getOutputStream().write(clientHello, 0, 1 + i % (clientHello.length - 1));
        }
        sockets.add(socket);
      }
      // A third closed by the client: the server must not keep them in CLOSE_WAIT.
      for (int i = 0; i < sockets.size(); i += 3) {
        sockets.get(i).close();
      }
      long opened = elapsedMillis(started);
      int dot = serverConnections(port(Port.DOT));
      int doh = serverConnections(port(Port.DOH));
      int h2c = serverConnections(port(Port.H2C));
      System.out.printf(
          "opened %d connections in %d ms; server side now DoT %d, DoH %d, h2c %d%n",
          sockets.size(), opened, dot, doh, h2c);
      // 400 are left open; some may be gone already on a slow machine, but the count must see them.
      assertTrue(
          dot + doh + h2c >= sockets.size() / 3,
          "the kernel shows the connections left open: " + dot + "+" + doh + "+" + h2c);
      assertServing(Port.DOT);
      assertServing(Port.DOH);
      assertServing(Port.H2C);
      for (Port port : Port.values()) {
        awaitNoServerConnections(port, 15_000 - elapsedMillis(started));
      }
      System.out.printf(
          "all closed by the server %d ms after the first connection%n", elapsedMillis(started));
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
    assertServing(Port.DOT);
    assertServing(Port.DOH);
    assertServing(Port.H2C);
  }

  private Socket abandonedHttp(Port target, int i) throws Exception {
    Socket raw = rawSocket(port(target));
    String partialRequest =
        "GET /dns-query?dns="
            + DohClient.base64url(query("example.test.", Type.SOA))
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    byte[] preface = Http2Client.PREFACE;
    switch (i % 5) {
      case 0:
        return raw; // silent
      case 1:
        if (target == Port.DOH) {
          raw.getOutputStream().write(clientHello, 0, clientHello.length / 2);
        } else {
          raw.getOutputStream().write(partialRequest.getBytes(StandardCharsets.US_ASCII));
        }
        return raw;
      case 2:
        if (target == Port.DOH) {
          SSLSocket tls = tls(raw, "http/1.1");
          tls.getOutputStream().write(partialRequest.getBytes(StandardCharsets.US_ASCII));
          return tls;
        }
        raw.getOutputStream().write(preface, 0, preface.length / 2);
        return raw;
      case 3:
        {
          Socket socket = target == Port.DOH ? tls(raw, "h2") : raw;
          socket.getOutputStream().write(preface, 0, preface.length / 2);
          return socket;
        }
      default:
        {
          // An HTTP/2 POST whose body never comes.
          Socket socket = target == Port.DOH ? tls(raw, "h2") : raw;
          ByteArrayOutputStream start = new ByteArrayOutputStream();
          start.write(preface);
          Http2Client.frame(start, Http2Client.SETTINGS, 0, 0, new byte[0]);
          Http2Client.frame(
              start,
              Http2Client.HEADERS,
              Http2Client.END_HEADERS,
              1,
              Http2Client.headers(
                  "POST",
                  target == Port.DOH ? "https" : "http",
                  port(target),
                  "/dns-query",
                  "content-type",
                  "application/dns-message",
                  "content-length",
                  "40"));
          socket.getOutputStream().write(start.toByteArray());
          return socket;
        }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Server-side sockets, as the kernel sees them

  private static void assumeProcNetTcp() {
    Requires.that(
        Files.isReadable(Path.of("/proc/net/tcp")),
        "/proc/net/tcp is not readable: cannot count server-side sockets");
  }

  /**
   * Sockets in /proc/net/tcp and /proc/net/tcp6 whose local port is {@code port} and whose state is
   * ESTABLISHED (01), SYN_RECV (03) or CLOSE_WAIT (08): the server's side of connections, since the
   * test's clients have ephemeral local ports.
   */
  static int serverConnections(int port) throws IOException {
    int count = 0;
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(file);
      if (!Files.isReadable(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        String local = fields[1];
        int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
        String state = fields[3];
        if (localPort == port && (state.equals("01") || state.equals("03") || state.equals("08"))) {
          count++;
        }
      }
    }
    return count;
  }

  private void awaitNoServerConnections(Port target, long maxMillis) throws Exception {
    if (!Files.isReadable(Path.of("/proc/net/tcp"))) {
      return; // only the leak test needs the count; it skips itself
    }
    long started = System.nanoTime();
    int open;
    while ((open = serverConnections(port(target))) > 0 && elapsedMillis(started) < maxMillis) {
      Thread.sleep(100);
    }
    assertEquals(
        0,
        open,
        target + ": server-side connections still open after " + elapsedMillis(started) + " ms");
  }

  // ---------------------------------------------------------------------------------------------
  // Clients

  /**
   * A good query on a new connection: DoT over TLS, DoH over h2 with TLS, h2c with prior knowledge.
   */
  private void assertServing(Port target) throws Exception {
    byte[] query = query("example.test.", Type.SOA);
    if (target == Port.DOT) {
      try (SSLSocket socket = tls(rawSocket(port(Port.DOT)), "dot")) {
        DnsClient.writeFramed(socket, query);
        byte[] response = DnsClient.readFramed(socket);
        assertNotNull(response, "DoT answers");
        assertEquals(Rcode.NOERROR, new Message(response).getRcode());
      }
      return;
    }
    try (Http2Client h2 =
        h2(target == Port.DOH ? H2Transport.H2_OVER_TLS : H2Transport.H2C_PRIOR_KNOWLEDGE)) {
      Response response = h2.get(1, query);
      assertEquals(200, response.status(), target + " answers: " + response);
      assertEquals(Rcode.NOERROR, new Message(response.body()).getRcode());
    }
  }

  private Socket rawSocket(int port) throws IOException {
    Socket socket = DotClient.tcp("127.0.0.1", port, 5000);
    socket.setTcpNoDelay(true);
    return socket;
  }

  private SSLSocket tls(Socket raw, String alpn) throws IOException {
    SSLSocket socket = DotClient.tls(trusting, raw, alpn);
    assertEquals(alpn, socket.getApplicationProtocol(), "ALPN");
    return socket;
  }

  /**
   * An HTTP/2 connection past the SETTINGS exchange: h2 over TLS to the DoH port, or h2c with prior
   * knowledge.
   */
  private Http2Client h2(H2Transport transport) throws IOException {
    boolean overTls = transport == H2Transport.H2_OVER_TLS;
    int port = port(overTls ? Port.DOH : Port.H2C);
    Socket raw = rawSocket(port);
    return Http2Client.open(overTls ? tls(raw, "h2") : raw, overTls ? "https" : "http", port);
  }

  private Socket http11Socket(Port target) throws IOException {
    Socket raw = rawSocket(port(target));
    return target == Port.DOH ? tls(raw, "http/1.1") : raw;
  }

  /** The first flight of a TLS client that trusts the test certificate. */
  private byte[] clientHello() throws IOException {
    SSLEngine engine = trusting.createSSLEngine("localhost", port(Port.DOT));
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.beginHandshake();
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    assertEquals(0x16, hello[0], "a TLS handshake record");
    return hello;
  }

  record Closed(long millis, byte[] received) {}

  /**
   * Reads until the server closes (end of stream or reset); fails when it has not within {@code
   * maxMillis}.
   */
  private static Closed awaitClosed(Socket socket, long maxMillis) throws IOException {
    long started = System.nanoTime();
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    InputStream in = socket.getInputStream();
    while (true) {
      long left = maxMillis - elapsedMillis(started);
      if (left <= 0) {
        fail("the server kept the connection open for " + maxMillis + " ms");
      }
      socket.setSoTimeout((int) left);
      try {
        int n = in.read(buffer);
        if (n < 0) {
          return new Closed(elapsedMillis(started), received.toByteArray());
        }
        received.write(buffer, 0, n);
      } catch (SocketTimeoutException open) {
        fail("the server kept the connection open for " + maxMillis + " ms");
      } catch (IOException reset) {
        return new Closed(elapsedMillis(started), received.toByteArray());
      }
    }
  }

  /**
   * Everything the server sends until it closes; fails when it has not closed within {@code
   * maxMillis}.
   */
  private static byte[] readUntilClosed(Socket socket, long maxMillis) throws IOException {
    return awaitClosed(socket, maxMillis).received();
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  private static byte[] query(String name, int type) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(0);
    return query.toWire();
  }
}
