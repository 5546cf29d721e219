package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.transport.DoqClient;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code "tls": "ephemeral"} through whole nodes: the node makes the certificate before it listens
 * and keeps it across restarts, the launcher says where it is, and config/examples/tls.json serves
 * every listener on it.
 */
class EphemeralTlsEndToEndTest {
  private static final Path EXAMPLES =
      Path.of("../../config/examples").toAbsolutePath().normalize();

  private static JsonObject listener(int port, String transport) {
    JsonObject listener = TestNode.listener(port, transport);
    return transport.equals("dot") || transport.equals("doh")
        ? listener.put("tls", "ephemeral")
        : listener;
  }

  private static byte[] query(String name, int type, int dclass) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    query.getHeader().setID(0);
    return query.toWire();
  }

  /**
   * One query over DoT to 127.0.0.1, checking the certificate against the name "localhost" as kdig
   * +tls-hostname does.
   */
  private static Message dot(SSLContext context, int port, byte[] query) throws Exception {
    return new Message(DotClient.query(context, port, query));
  }

  private static Message doh(HttpClient client, String scheme, int port, byte[] query)
      throws Exception {
    HttpResponse<byte[]> response =
        DohClient.get(client, scheme + "://localhost:" + port + "/dns-query", query);
    assertEquals(200, response.statusCode());
    return new Message(response.body());
  }

  private static void assertAuthoritativeSoa(Message response) {
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertEquals(Type.SOA, response.getSection(Section.ANSWER).get(0).getType());
  }

  @Test
  void aNodeMakesTheCertificateBeforeListeningAndKeepsItAcrossRestarts(@TempDir Path dir)
      throws Exception {
    int dotPort = TestNode.freePort();
    int dohPort = TestNode.freePort();
    JsonObject json = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    json.getJsonObject("options")
        .getJsonArray("listen-on")
        .add(listener(dotPort, "dot"))
        .add(listener(dohPort, "doh"));
    Path cert = dir.resolve("tls/generated/ephemeral.crt");
    Path key = dir.resolve("tls/generated/ephemeral.key");
    assertFalse(Files.exists(cert));

    byte[] certBytes;
    byte[] keyBytes;
    try (TestNode node = TestNode.start(json, dir, null)) {
      assertTrue(Files.isRegularFile(cert) && Files.isRegularFile(key));
      certBytes = Files.readAllBytes(cert);
      keyBytes = Files.readAllBytes(key);
      SSLContext context = TestCertificate.trusting(cert);
      assertAuthoritativeSoa(dot(context, dotPort, query("example.test.", Type.SOA, DClass.IN)));
      HttpClient https = DohClient.https(context);
      assertAuthoritativeSoa(
          doh(https, "https", dohPort, query("example.test.", Type.SOA, DClass.IN)));
    }

    try (TestNode again = TestNode.start(json, dir, null)) {
      assertArrayEquals(
          certBytes,
          Files.readAllBytes(cert),
          "a client that trusted the certificate keeps trusting it");
      assertArrayEquals(keyBytes, Files.readAllBytes(key));
      assertAuthoritativeSoa(
          dot(
              TestCertificate.trusting(cert),
              dotPort,
              query("example.test.", Type.SOA, DClass.IN)));
    }
  }

  @Test
  void startFailsBeforeAnyListenerWhenTheCertificateCannotBeMade(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("tls"), "a file where tls/generated should go");
    int dotPort = TestNode.freePort();
    int udpPort = TestNode.freePort();
    JsonObject json = TestNode.config(udpPort, Delivery.DIRECT);
    TestNode.listen(json, listener(dotPort, "dot"));
    ExecutionException failure =
        assertThrows(ExecutionException.class, () -> TestNode.start(json, dir, null).close());
    assertTrue(
        failure
            .getCause()
            .getMessage()
            .startsWith("tls ephemeral: cannot create " + dir.resolve("tls/generated")),
        failure.getCause().getMessage());
    try (ServerSocket free = new ServerSocket(dotPort, 1, InetAddress.getByName("127.0.0.1"));
        java.net.DatagramSocket alsoFree =
            new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", udpPort))) {
      // nothing was left listening
    }
  }

  /**
   * config/examples/tls.json on free ports, its certificate in a temporary folder rather than the
   * repository's.
   */
  private static Map<Integer, Integer> exampleOnFreePorts(JsonObject json) throws Exception {
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    for (Object entry : json.getJsonObject("options").getJsonArray("listen-on")) {
      JsonObject listener = (JsonObject) entry;
      int free = TestNode.freePort();
      ports.put(listener.getInteger("port"), free);
      listener.put("port", free);
    }
    return ports;
  }

  /**
   * The example's listeners answer over TLS with the generated certificate. It has {@code proxy:
   * plain} on DoT and DoH and {@code proxy: encrypted} on DoH: it starts only with the transports
   * that take them.
   */
  @Test
  void theTlsExampleServesItsListenersOnTheEphemeralCertificate(@TempDir Path dir)
      throws Exception {
    JsonObject json = new JsonObject(Files.readString(EXAMPLES.resolve("tls.json")));
    Map<Integer, Integer> ports = exampleOnFreePorts(json);
    Path generated = dir.resolve("generated");
    try (TestNode node = TestNode.start(json, EXAMPLES, generated)) {
      Path cert = generated.resolve("ephemeral.crt");
      SSLContext context = TestCertificate.trusting(cert);
      assertAuthoritativeSoa(
          dot(context, ports.get(8853), query("example.test.", Type.SOA, DClass.IN)));
      Message whoami = dot(context, ports.get(8853), query("whoami.vxdns.", Type.TXT, DClass.CH));
      assertTrue(
          whoami
              .getSection(Section.ANSWER)
              .get(0)
              .rdataToString()
              .startsWith("\"source 127.0.0.1#"),
          whoami.toString());
      HttpClient https = DohClient.https(context);
      assertAuthoritativeSoa(
          doh(https, "https", ports.get(8443), query("example.test.", Type.SOA, DClass.IN)));
      HttpClient h2c = DohClient.http2();
      assertAuthoritativeSoa(
          doh(h2c, "http", ports.get(8080), query("example.test.", Type.SOA, DClass.IN)));
      try (DoqClient doq = DoqClient.connect(ports.get(8856))) {
        assertAuthoritativeSoa(
            new Message(doq.query(query("example.test.", Type.SOA, DClass.IN)).get(0)));
      }
    }
  }

  /**
   * The commands of config/examples/README.md with BIND 9.20's dig: every listener, in its own
   * PROXY mode, trusting the certificate.
   */
  @Test
  void bind920DigReachesEveryListenerOfTheTlsExampleAsTheReadmeSays(@TempDir Path dir)
      throws Exception {
    Dig920 dig = Dig920.find();
    JsonObject json = new JsonObject(Files.readString(EXAMPLES.resolve("tls.json")));
    Map<Integer, Integer> ports = exampleOnFreePorts(json);
    Path generated = dir.resolve("generated");
    try (TestNode node = TestNode.start(json, EXAMPLES, generated)) {
      String ca = "+tls-ca=" + generated.resolve("ephemeral.crt");
      Map<Integer, List<String>> clients =
          Map.of(
              8853, List.of("+tls", ca),
              8854, List.of("+tls", ca, "+proxy=192.0.2.7#1234-127.0.0.1#8854"),
              8855, List.of("+tls", ca, "+proxy-plain=192.0.2.7#1234-127.0.0.1#8855"),
              8443, List.of("+https", ca),
              8444, List.of("+https", ca, "+proxy-plain=192.0.2.7#1234-127.0.0.1#8444"),
              8445, List.of("+https", ca, "+proxy=192.0.2.7#1234-127.0.0.1#8445"),
              8080, List.of("+http-plain"),
              8081, List.of("+http-plain", "+proxy=192.0.2.7#1234-127.0.0.1#8081"));
      for (Map.Entry<Integer, List<String>> client : clients.entrySet()) {
        List<String> args =
            new ArrayList<>(
                List.of(
                    "@127.0.0.1",
                    "-p",
                    Integer.toString(ports.get(client.getKey())),
                    "+time=3",
                    "+tries=1",
                    "+short",
                    "whoami.vxdns",
                    "CH",
                    "TXT"));
        args.addAll(client.getValue());
        String output = dig.run(args);
        boolean proxied = client.getValue().stream().anyMatch(arg -> arg.startsWith("+proxy"));
        assertTrue(
            output.contains(proxied ? "\"source 192.0.2.7#1234\"" : "\"source 127.0.0.1#"),
            "listener " + client.getKey() + " with " + client.getValue() + ":\n" + output);
      }
    }
  }
}
