package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.ServerCookies;
import dev.vxdns.message.Addresses;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Forwarding end to end: a front node with a root forward zone and a backend node, both vxdns on
 * real sockets. What stays local, what is forwarded, the client passed on by PROXY v2 (UDP and TCP
 * backends) and by ECS, TC answered over TCP, SERVFAIL with EDE 22, the packet cache, health
 * checks.
 */
class ForwardEndToEndTest {

  /** A backend node: big.test, whoami, a plain and a PROXY listener (PROXY from loopback). */
  static JsonObject backendConfig(int plainPort, int proxyPort, JsonObject zoneExtras) {
    JsonObject zone = new JsonObject().put("file", TestNode.BIG_ZONE.toString());
    zone.mergeIn(zoneExtras);
    return new JsonObject()
        .put(
            "options",
            new JsonObject()
                .put(
                    "listen-on",
                    new JsonArray()
                        .add(listener(plainPort, null))
                        .add(listener(proxyPort, "plain")))
                .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
                .put("whoami", "whoami.vxdns."))
        .put("zone", new JsonObject().put("big.test", zone));
  }

  /**
   * A front node: example.test local, everything else to a pool of {@code backends}; a plain and a
   * PROXY listener.
   */
  static JsonObject frontConfig(
      int plainPort, int proxyPort, JsonArray backends, JsonObject cache) {
    JsonObject forward =
        new JsonObject()
            .put(
                "pools",
                new JsonObject()
                    .put(
                        "up",
                        new JsonObject().put("policy", "round-robin").put("backends", backends)));
    if (cache != null) {
      forward.put("cache", cache);
    }
    return new JsonObject()
        .put(
            "options",
            new JsonObject()
                .put(
                    "listen-on",
                    new JsonArray()
                        .add(listener(plainPort, null))
                        .add(listener(proxyPort, "plain")))
                .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
                .put("allow-recursion", new JsonArray().add("any")))
        .put("forward", forward)
        .put(
            "zone",
            new JsonObject()
                .put("example.test", TestNode.exampleZone())
                .put(".", new JsonObject().put("type", "forward").put("pool", "up")));
  }

  static JsonObject listener(int port, String proxy) {
    JsonObject listener = TestNode.do53Listener(port);
    return proxy == null ? listener : listener.put("proxy", proxy);
  }

  static JsonObject backend(int port, String transport) {
    return new JsonObject()
        .put("address", "127.0.0.1")
        .put("port", port)
        .put("transport", transport)
        .put("timeout-ms", 1500);
  }

  static Message whoamiQuery(int id) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("whoami.vxdns."), Type.TXT, DClass.CH));
    query.getHeader().setID(id);
    return query;
  }

  static List<String> txt(Message response) {
    List<String> lines = new ArrayList<>();
    for (Record record : response.getSection(Section.ANSWER)) {
      lines.addAll(((TXTRecord) record).getStrings());
    }
    return lines;
  }

  static byte[] proxied(String client, boolean stream, byte[] query) {
    return ProxyEncoder.prepend(
        ProxyHeader.proxy(
            stream ? TransportProtocol.STREAM : TransportProtocol.DGRAM,
            new InetSocketAddress(client, 40000),
            new InetSocketAddress("192.0.2.53", 53)),
        query);
  }

  static JsonObject stats(TestNode node) throws Exception {
    return node.vertx
        .eventBus()
        .<JsonObject>request(Addresses.STATS_FORWARD, "")
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .body();
  }

  private static int[] ports(int n) throws Exception {
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      int port;
      boolean taken;
      do {
        port = TestNode.freePort();
        taken = false;
        for (int j = 0; j < i; j++) {
          taken |= ports[j] == port;
        }
      } while (taken);
      ports[i] = port;
    }
    return ports;
  }

  @Test
  void localZonesStayHereAndTheRestIsForwarded() throws Exception {
    int[] p = ports(4);
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()));
        TestNode front =
            TestNode.start(
                frontConfig(p[2], p[3], new JsonArray().add(backend(p[0], "udp")), null))) {
      // Local: the backend does not serve example.test, so an answer proves it stayed here.
      Message local = front.query("www.example.test.", Type.A, false);
      assertEquals(Rcode.NOERROR, local.getRcode());
      assertTrue(local.getHeader().getFlag(Flags.AA));
      assertEquals(2, local.getSection(Section.ANSWER).size());
      assertEquals(Rcode.REFUSED, backendNode.query("www.example.test.", Type.A, false).getRcode());
      // Forwarded, over UDP and over TCP from the client.
      for (boolean tcp : new boolean[] {false, true}) {
        Message forwarded = front.query("ns.big.test.", Type.A, tcp);
        assertEquals(Rcode.NOERROR, forwarded.getRcode(), "tcp " + tcp);
        assertEquals("192.0.2.1", forwarded.getSection(Section.ANSWER).get(0).rdataToString());
      }
      JsonObject stats = stats(front);
      assertEquals(2L, stats.getLong("queries forwarded"), stats.encode());
      assertEquals(1L, stats.getLong("backend up/127.0.0.1:" + p[0] + " up"), stats.encode());
    }
  }

  /** With event-bus delivery the stage runs on the forward verticle's loop: same answers. */
  @Test
  void eventBusDeliveryForwardsToo() throws Exception {
    int[] p = ports(4);
    JsonObject config =
        frontConfig(
            p[2],
            p[3],
            new JsonArray().add(backend(p[1], "tcp").put("proxy-protocol", true)),
            null);
    config.getJsonObject("options").put("pipeline", new JsonObject().put("delivery", "eventbus"));
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()));
        TestNode front = TestNode.start(config)) {
      assertEquals(Rcode.NOERROR, front.query("www.example.test.", Type.A, false).getRcode());
      assertEquals(Rcode.NOERROR, front.query("ns.big.test.", Type.A, true).getRcode());
      List<String> lines =
          txt(
              new Message(
                  DnsClient.udp(
                      p[3], proxied("198.51.100.77", false, whoamiQuery(5).toWire()), 5000)));
      assertEquals("source 198.51.100.77#40000", lines.get(0), lines.toString());
    }
  }

  @Test
  void proxyProtocolPassesTheEffectiveClientOverUdpAndTcp() throws Exception {
    int[] p = ports(4);
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()))) {
      for (String transport : List.of("udp", "tcp")) {
        JsonArray backends =
            new JsonArray().add(backend(p[1], transport).put("proxy-protocol", true));
        try (TestNode front = TestNode.start(frontConfig(p[2], p[3], backends, null))) {
          // Straight to the front: the backend sees the front's client, 127.0.0.1.
          List<String> direct = txt(front.send(whoamiQuery(1), false));
          assertTrue(direct.get(0).startsWith("source 127.0.0.1#"), transport + " " + direct);
          assertTrue(
              direct.get(3).startsWith("proxy yes, via 127.0.0.1"), transport + " " + direct);
          // Through the front's own PROXY listener: the original client, end to end.
          for (int i = 0; i < 3; i++) {
            String client = "198.51.100." + (77 + i);
            byte[] reply =
                DnsClient.udp(p[3], proxied(client, false, whoamiQuery(10 + i).toWire()), 5000);
            assertNotNull(reply, transport);
            List<String> lines = txt(new Message(reply));
            assertEquals("source " + client + "#40000", lines.get(0), transport + " " + lines);
            assertEquals("destination 192.0.2.53#53", lines.get(1), transport);
          }
          // A TCP client with a PROXY header: its header once, several queries.
          try (Socket socket = DnsClient.tcp(p[3], 5000)) {
            socket
                .getOutputStream()
                .write(
                    ProxyEncoder.encode(
                        ProxyHeader.proxy(
                            TransportProtocol.STREAM,
                            new InetSocketAddress("203.0.113.9", 5555),
                            new InetSocketAddress("192.0.2.53", 53))));
            for (int i = 0; i < 2; i++) {
              DnsClient.writeFramed(socket, whoamiQuery(20 + i).toWire());
              List<String> lines = txt(new Message(DnsClient.readFramed(socket)));
              assertEquals("source 203.0.113.9#5555", lines.get(0), transport);
              assertEquals("transport " + transport, lines.get(2), transport);
            }
          }
        }
      }
    }
  }

  /**
   * A raw UDP backend that decodes each datagram's PROXY header as dnsdist's backends would: the
   * client's header carries its address and the configured TLV; health checks come as LOCAL.
   */
  @Test
  void proxyHeadersCarryCustomTlvsAndHealthChecksAreLocal() throws Exception {
    int[] p = ports(2);
    java.util.concurrent.BlockingQueue<ProxyHeader> headers =
        new java.util.concurrent.LinkedBlockingQueue<>();
    try (java.net.DatagramSocket raw =
        new java.net.DatagramSocket(
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
      Thread server =
          new Thread(
              () -> {
                byte[] buffer = new byte[4096];
                while (!raw.isClosed()) {
                  try {
                    java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, 4096);
                    raw.receive(packet);
                    byte[] data = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                    dev.vxdns.proxyprotocol.DecodeResult.Complete decoded =
                        (dev.vxdns.proxyprotocol.DecodeResult.Complete)
                            dev.vxdns.proxyprotocol.ProxyDecoder.defaults().decodeDatagram(data);
                    headers.add(decoded.header());
                    Message query =
                        new Message(
                            java.util.Arrays.copyOfRange(data, decoded.length(), data.length));
                    Message answer = new Message(query.getHeader().getID());
                    answer.getHeader().setFlag(Flags.QR);
                    answer.addRecord(query.getQuestion(), Section.QUESTION);
                    byte[] out = answer.toWire();
                    raw.send(
                        new java.net.DatagramPacket(out, out.length, packet.getSocketAddress()));
                  } catch (Exception closedOrOdd) {
                    // the socket closed at the end of the test
                  }
                }
              });
      server.setDaemon(true);
      server.start();
      JsonArray backends =
          new JsonArray()
              .add(
                  backend(raw.getLocalPort(), "udp")
                      .put("proxy-protocol", true)
                      .put(
                          "proxy-tlvs",
                          new JsonArray()
                              .add(new JsonObject().put("type", 0xE1).put("value", "front-1")))
                      .put("health-check", new JsonObject().put("interval", 1)));
      try (TestNode front = TestNode.start(frontConfig(p[0], p[1], backends, null))) {
        ProxyHeader check = headers.poll(10, TimeUnit.SECONDS);
        assertNotNull(check, "a health check arrived");
        assertTrue(check.isLocal(), check.toString());
        byte[] reply =
            DnsClient.udp(p[1], proxied("198.51.100.77", false, whoamiQuery(3).toWire()), 5000);
        assertNotNull(reply);
        assertEquals(Rcode.NOERROR, new Message(reply).getRcode());
        ProxyHeader client = null;
        for (int i = 0; i < 10 && (client == null || client.isLocal()); i++) {
          client = headers.poll(5, TimeUnit.SECONDS);
        }
        assertNotNull(client);
        assertEquals(
            new InetSocketAddress("198.51.100.77", 40000), client.sourceAddress().orElseThrow());
        assertEquals(
            new InetSocketAddress("192.0.2.53", 53), client.destinationAddress().orElseThrow());
        assertEquals(TransportProtocol.DGRAM, client.protocol());
        assertEquals(
            "front-1",
            new String(
                client.tlv(0xE1).orElseThrow().value(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * The policies over two backends (the backend node's plain listener, and its PROXY listener as a
   * second backend): weighted round robin shares the queries by weight, first-available and
   * least-outstanding (queries one at a time: always a tie) send all to the first listed.
   */
  @Test
  void policiesShareQueriesAsConfigured() throws Exception {
    int[] p = ports(4);
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()))) {
      for (String policy : List.of("round-robin", "first-available", "least-outstanding")) {
        JsonArray backends =
            new JsonArray()
                .add(backend(p[0], "udp").put("weight", 3))
                .add(backend(p[1], "udp").put("proxy-protocol", true));
        JsonObject config = frontConfig(p[2], p[3], backends, null);
        config
            .getJsonObject("forward")
            .getJsonObject("pools")
            .getJsonObject("up")
            .put("policy", policy);
        try (TestNode front = TestNode.start(config)) {
          for (int i = 0; i < 8; i++) {
            assertEquals(Rcode.NOERROR, front.query("ns.big.test.", Type.A, false).getRcode());
          }
          JsonObject stats = stats(front);
          long first = stats.getLong("backend up/127.0.0.1:" + p[0] + " queries");
          long second = stats.getLong("backend up/127.0.0.1:" + p[1] + " queries");
          assertEquals(8, first + second, policy + " " + stats.encode());
          if (policy.equals("round-robin")) {
            // Per event loop: each loop's wheel turns on its own, 3:1 within a loop.
            assertTrue(first >= 4 && second >= 1, policy + " " + stats.encode());
          } else {
            assertEquals(8, first, policy + " " + stats.encode());
          }
        }
      }
    }
  }

  @Test
  void noBackendAnswerIsServfailWithExtendedError22() throws Exception {
    int[] p = ports(3);
    JsonArray backends =
        new JsonArray().add(backend(p[0], "udp").put("timeout-ms", 200).put("retries", 1));
    try (TestNode front = TestNode.start(frontConfig(p[1], p[2], backends, null))) {
      Message local = front.query("www.example.test.", Type.A, false);
      assertEquals(Rcode.NOERROR, local.getRcode(), "positive control: local zones answer");
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("nowhere.test."), Type.A, DClass.IN));
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      Message response = front.send(query, false);
      assertEquals(Rcode.SERVFAIL, response.getRcode());
      List<EDNSOption> errors = response.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
      assertEquals(1, errors.size());
      assertEquals(
          ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
          ((ExtendedErrorCodeOption) errors.get(0)).getErrorCode());
      JsonObject stats = stats(front);
      assertEquals(2L, stats.getLong("backend up/127.0.0.1:" + p[0] + " failures"));
    }
  }

  @Test
  void aTruncatedUdpAnswerIsFetchedAgainOverTcp() throws Exception {
    int[] p = ports(4);
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()));
        TestNode front =
            TestNode.start(
                frontConfig(p[2], p[3], new JsonArray().add(backend(p[0], "udp")), null))) {
      // Over UDP without EDNS the backend answers TC=1; the client here asks over TCP.
      Message response = front.query("txt.big.test.", Type.TXT, true);
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertFalse(response.getHeader().getFlag(Flags.TC));
      assertEquals(30, response.getSection(Section.ANSWER).size());
      JsonObject stats = stats(front);
      assertEquals(1L, stats.getLong("backend up/127.0.0.1:" + p[0] + " tc-retries-over-tcp"));
    }
  }

  @Test
  void clientSubnetGivesTheBackendTheClientsSlash24() throws Exception {
    int[] p = ports(4);
    JsonObject byEcs =
        new JsonObject().put("allow-query", new JsonArray().add("ecs 198.51.100.0/24"));
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], byEcs));
        TestNode front =
            TestNode.start(
                frontConfig(
                    p[2],
                    p[3],
                    new JsonArray().add(backend(p[0], "udp").put("client-subnet", true)),
                    null))) {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("ns.big.test."), Type.A, DClass.IN));
      Message allowed =
          new Message(DnsClient.udp(p[3], proxied("198.51.100.77", false, query.toWire()), 5000));
      assertEquals(Rcode.NOERROR, allowed.getRcode());
      assertEquals(1, allowed.getSection(Section.ANSWER).size());
      assertNull(allowed.getOPT(), "the client sent no EDNS: none comes back");
      Message refused =
          new Message(DnsClient.udp(p[3], proxied("203.0.113.9", false, query.toWire()), 5000));
      assertEquals(Rcode.REFUSED, refused.getRcode(), "another /24 is refused by the backend");
      // A client with EDNS but no ECS gets EDNS back without the option.
      Message withEdns = query.clone();
      withEdns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      Message edns =
          new Message(
              DnsClient.udp(p[3], proxied("198.51.100.77", false, withEdns.toWire()), 5000));
      assertEquals(Rcode.NOERROR, edns.getRcode());
      assertNotNull(edns.getOPT());
      assertTrue(edns.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).isEmpty());
      // A client's own ECS is kept (no ecs-override): its /24 decides, not its address.
      Message ownEcs = query.clone();
      ownEcs.addRecord(
          new OPTRecord(
              1232,
              0,
              0,
              0,
              List.of(new ClientSubnetOption(24, java.net.InetAddress.getByName("198.51.100.0")))),
          Section.ADDITIONAL);
      Message kept =
          new Message(DnsClient.udp(p[3], proxied("203.0.113.9", false, ownEcs.toWire()), 5000));
      assertEquals(Rcode.NOERROR, kept.getRcode());
    }
  }

  /**
   * The front answers the client's DNS cookie itself, on forwarded and cached answers alike, and
   * never passes a cookie to its backend: a backend (here a vxdns node with a secret of its own)
   * would take the front's server cookie for a bad one and answer BADCOOKIE, and a cached answer
   * would carry another client's cookie.
   */
  @Test
  void cookiesAreTheFrontsOwnAndNeverReachTheBackend() throws Exception {
    int[] p = ports(4);
    String secret = "ebc7701beabb4a40c57d140eeb6733fa";
    ServerCookies fronts = new ServerCookies(List.of(java.util.HexFormat.of().parseHex(secret)));
    JsonObject config =
        frontConfig(
            p[2],
            p[3],
            new JsonArray().add(backend(p[0], "udp")),
            new JsonObject().put("max-entries", 100));
    config.getJsonObject("options").put("cookie-secret", secret);
    try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()));
        TestNode front = TestNode.start(config)) {
      byte[] first = new byte[] {1, 1, 1, 1, 1, 1, 1, 1};
      Message learned = askWithCookie(p[2], first);
      byte[] serverCookie = cookieOf(learned, first);
      assertEquals(
          ServerCookies.Status.VALID,
          fronts.check(
              first,
              serverCookie,
              java.net.InetAddress.getLoopbackAddress(),
              System.currentTimeMillis() / 1000),
          "the front's own cookie");
      // With the front's server cookie: answered (a backend that saw it would refuse it).
      byte[] both = java.util.Arrays.copyOf(first, 24);
      System.arraycopy(serverCookie, 0, both, 8, 16);
      Message again = askWithCookie(p[2], both);
      assertEquals(Rcode.NOERROR, again.getRcode(), again.toString());
      assertEquals(1, again.getSection(Section.ANSWER).size());
      cookieOf(again, first);
      // Another client's cookie on the cached answer: its own comes back.
      byte[] second = new byte[] {2, 2, 2, 2, 2, 2, 2, 2};
      Message cached = askWithCookie(p[2], second);
      assertEquals(Rcode.NOERROR, cached.getRcode());
      cookieOf(cached, second);
      assertTrue(stats(front).getLong("cache hits") >= 1, stats(front).encode());
      // The positive control: the backend itself refuses the front's cookie, as the front would
      // have made it do.
      assertEquals(Rcode.BADCOOKIE, askWithCookie(p[0], both).getRcode());
    }
  }

  /**
   * The root forward zone forwards every class, but BIND's built-in CH names (version.bind,
   * id.server...) are the front's own; the NSID too.
   */
  @Test
  void theNodesOwnChaosNamesAndNsidAreNeverForwarded() throws Exception {
    int[] p = ports(4);
    JsonObject backendConfig = backendConfig(p[0], p[1], new JsonObject());
    backendConfig.getJsonObject("options").put("server-id", "backend");
    JsonObject config = frontConfig(p[2], p[3], new JsonArray().add(backend(p[0], "udp")), null);
    config.getJsonObject("options").put("server-id", "front");
    try (TestNode backendNode = TestNode.start(backendConfig);
        TestNode front = TestNode.start(config)) {
      Message query =
          DnsClient.ednsQuery(
              "id.server.",
              Type.TXT,
              DClass.CH,
              new org.xbill.DNS.GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]));
      for (int port : new int[] {p[2], p[0]}) {
        Message answer = DnsClient.ask(port, query);
        String expected = port == p[2] ? "front" : "backend";
        assertEquals(List.of(expected), txt(answer), answer.toString());
        assertEquals(
            new org.xbill.DNS.GenericEDNSOption(EDNSOption.Code.NSID, expected.getBytes())
                .toString(),
            answer.getOPT().getOptions(EDNSOption.Code.NSID).get(0).toString());
      }
      // The positive control: another CH name (the backend's whoami) is forwarded.
      assertEquals(0L, stats(front).getLong("queries forwarded"), stats(front).encode());
      byte[] whoami = DnsClient.udp(p[2], whoamiQuery(7).toWire(), 5000);
      assertNotNull(whoami);
      assertTrue(
          txt(new Message(whoami)).get(0).startsWith("source 127.0.0.1#"),
          new Message(whoami).toString());
      assertEquals(1L, stats(front).getLong("queries forwarded"), stats(front).encode());
    }
  }

  /** A forwarded name asked over UDP with {@code cookie} as the COOKIE option's octets. */
  private static Message askWithCookie(int port, byte[] cookie) throws Exception {
    return DnsClient.ask(
        port,
        DnsClient.ednsQuery(
            "ns.big.test.",
            Type.A,
            DClass.IN,
            new org.xbill.DNS.GenericEDNSOption(EDNSOption.Code.COOKIE, cookie)));
  }

  /** The response's one COOKIE option, which echoes {@code client}: its server cookie. */
  private static byte[] cookieOf(Message response, byte[] client) {
    List<EDNSOption> cookies = response.getOPT().getOptions(EDNSOption.Code.COOKIE);
    assertEquals(1, cookies.size(), response.toString());
    org.xbill.DNS.CookieOption cookie = (org.xbill.DNS.CookieOption) cookies.get(0);
    assertEquals(
        java.util.HexFormat.of().formatHex(client),
        java.util.HexFormat.of().formatHex(cookie.getClientCookie()));
    return cookie.getServerCookie().orElseThrow();
  }

  @Test
  void thePacketCacheAnswersRepeatsEvenWithTheBackendGone() throws Exception {
    int[] p = ports(4);
    TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()));
    JsonArray backends =
        new JsonArray().add(backend(p[0], "udp").put("timeout-ms", 1000).put("retries", 0));
    // Each event loop has its own shard: one client socket keeps to one UDP instance (the kernel
    // spreads SO_REUSEPORT sockets by source address and port).
    try (TestNode front =
            TestNode.start(
                frontConfig(p[2], p[3], backends, new JsonObject().put("max-entries", 100)));
        java.net.DatagramSocket client = new java.net.DatagramSocket()) {
      Message first;
      try {
        first = ask(client, p[2], "ns.big.test.");
        assertEquals(Rcode.NOERROR, first.getRcode());
        Message negative = ask(client, p[2], "nothing.big.test.");
        assertEquals(Rcode.NXDOMAIN, negative.getRcode(), negative.toString());
      } finally {
        backendNode.close();
      }
      Message again = ask(client, p[2], "ns.big.test.");
      assertEquals(Rcode.NOERROR, again.getRcode(), stats(front).encode());
      assertEquals(
          first.getSection(Section.ANSWER).get(0).rdataToString(),
          again.getSection(Section.ANSWER).get(0).rdataToString());
      assertTrue(
          again.getSection(Section.ANSWER).get(0).getTTL()
              <= first.getSection(Section.ANSWER).get(0).getTTL());
      assertEquals(
          Rcode.NXDOMAIN,
          ask(client, p[2], "nothing.big.test.").getRcode(),
          "the negative answer is cached for the SOA's minimum (60 s) " + stats(front).encode());
      assertEquals(
          Rcode.SERVFAIL,
          ask(client, p[2], "ns2.big.test.").getRcode(),
          "positive control: a name not cached needs the backend, which is gone");
      JsonObject stats = stats(front);
      assertEquals(2L, stats.getLong("cache hits"), stats.encode());
      assertEquals(2L, stats.getLong("cache entries"), stats.encode());
    }
  }

  @Test
  void healthChecksMarkABackendDownAndUpAgain() throws Exception {
    int[] p = ports(4);
    JsonArray backends =
        new JsonArray()
            .add(
                backend(p[0], "udp")
                    .put(
                        "health-check",
                        new JsonObject()
                            .put("name", "ns.big.test.")
                            .put("interval", 1)
                            .put("timeout-ms", 300)
                            .put("failures", 2)
                            .put("successes", 1)));
    String up = "backend up/127.0.0.1:" + p[0] + " up";
    try (TestNode front = TestNode.start(frontConfig(p[2], p[3], backends, null))) {
      assertTrue(waitFor(front, up, 0L), "down after two failed checks");
      Message response = front.query("ns.big.test.", Type.A, false);
      assertEquals(Rcode.SERVFAIL, response.getRcode(), "no backend is up");
      try (TestNode backendNode = TestNode.start(backendConfig(p[0], p[1], new JsonObject()))) {
        assertTrue(waitFor(front, up, 1L), "up after a passed check");
        assertEquals(Rcode.NOERROR, front.query("ns.big.test.", Type.A, false).getRcode());
      }
    }
  }

  /** A query over one client socket, so that it reaches the same UDP instance every time. */
  private static Message ask(java.net.DatagramSocket client, int port, String name)
      throws Exception {
    byte[] query =
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
    client.setSoTimeout(5000);
    client.send(
        new java.net.DatagramPacket(
            query, query.length, java.net.InetAddress.getLoopbackAddress(), port));
    java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[4096], 4096);
    client.receive(reply);
    return new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
  }

  private static boolean waitFor(TestNode node, String counter, long value) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Long now = stats(node).getLong(counter);
      if (now != null && now == value) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }
}
