package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNS over HTTP (RFC 8484) requests of every shape against BIND 9.20, both serving the example zone
 * over h2c (HTTP/2 with prior knowledge, named's {@code tls none}): GET and POST, good and bad
 * {@code dns} parameters, content types, bodies, paths and methods, each on a connection of its
 * own; compared by HTTP status and, for an answer, by the DNS response's fields
 * (RequestShapesBindDifferentialTest's outcome).
 */
class DohShapesBindDifferentialTest {
  /** One request: what it is, its method, path, extra header fields, and body (null: none). */
  record Shape(String what, String method, String path, List<String> fields, byte[] body) {}

  private static byte[] query(String name, int type) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(0);
    return query.toWire();
  }

  private static String dns(byte[] bytes) {
    return "/dns-query?dns=" + DohClient.base64url(bytes);
  }

  static List<Shape> shapes() throws Exception {
    byte[] www = query("www.example.test.", Type.A);
    byte[] nowhere = query("nowhere.example.test.", Type.A);
    byte[] response = www.clone();
    response[2] |= (byte) 0x80;
    byte[] shortBytes = Arrays.copyOf(www, 5);
    byte[] truncated = Arrays.copyOf(www, www.length - 2);
    String padded = "/dns-query?dns=" + Base64.getUrlEncoder().encodeToString(www);
    String plain = "application/dns-message";
    List<String> typed = List.of("content-type", plain);
    List<Shape> shapes = new ArrayList<>();
    shapes.add(new Shape("GET", "GET", dns(www), List.of(), null));
    shapes.add(new Shape("GET NXDOMAIN", "GET", dns(nowhere), List.of(), null));
    shapes.add(new Shape("GET padded base64url", "GET", padded, List.of(), null));
    shapes.add(new Shape("GET empty dns", "GET", "/dns-query?dns=", List.of(), null));
    shapes.add(new Shape("GET no dns", "GET", "/dns-query", List.of(), null));
    shapes.add(new Shape("GET other parameter", "GET", "/dns-query?x=1", List.of(), null));
    shapes.add(new Shape("GET bad base64", "GET", "/dns-query?dns=!!!!", List.of(), null));
    shapes.add(
        new Shape(
            "GET standard base64",
            "GET",
            "/dns-query?dns=" + Base64.getEncoder().encodeToString(www),
            List.of(),
            null));
    shapes.add(new Shape("GET 5 octets", "GET", dns(shortBytes), List.of(), null));
    shapes.add(new Shape("GET truncated query", "GET", dns(truncated), List.of(), null));
    shapes.add(new Shape("GET a response", "GET", dns(response), List.of(), null));
    shapes.add(
        new Shape(
            "GET parameter before",
            "GET",
            "/dns-query?ct=x&dns=" + DohClient.base64url(www),
            List.of(),
            null));
    shapes.add(new Shape("GET parameter after", "GET", dns(www) + "&x=1", List.of(), null));
    shapes.add(
        new Shape("GET other path", "GET", "/other" + dns(www).substring(10), List.of(), null));
    shapes.add(
        new Shape(
            "GET path with slash", "GET", "/dns-query/" + dns(www).substring(10), List.of(), null));
    shapes.add(
        new Shape("GET accept text/html", "GET", dns(www), List.of("accept", "text/html"), null));
    shapes.add(new Shape("POST", "POST", "/dns-query", typed, www));
    shapes.add(new Shape("POST NXDOMAIN", "POST", "/dns-query", typed, nowhere));
    shapes.add(
        new Shape(
            "POST text/plain", "POST", "/dns-query", List.of("content-type", "text/plain"), www));
    shapes.add(new Shape("POST no content type", "POST", "/dns-query", List.of(), www));
    shapes.add(
        new Shape(
            "POST content type with a parameter",
            "POST",
            "/dns-query",
            List.of("content-type", plain + "; charset=utf-8"),
            www));
    shapes.add(new Shape("POST empty body", "POST", "/dns-query", typed, new byte[0]));
    shapes.add(new Shape("POST no body", "POST", "/dns-query", typed, null));
    shapes.add(new Shape("POST 5 octets", "POST", "/dns-query", typed, shortBytes));
    shapes.add(new Shape("POST truncated query", "POST", "/dns-query", typed, truncated));
    shapes.add(new Shape("POST a response", "POST", "/dns-query", typed, response));
    shapes.add(new Shape("POST other path", "POST", "/other", typed, www));
    shapes.add(new Shape("POST with a dns parameter", "POST", dns(www), typed, www));
    shapes.add(new Shape("PUT", "PUT", "/dns-query", typed, www));
    shapes.add(new Shape("DELETE", "DELETE", dns(www), List.of(), null));
    shapes.add(new Shape("HEAD", "HEAD", dns(www), List.of(), null));
    shapes.add(new Shape("OPTIONS", "OPTIONS", "/dns-query", List.of(), null));
    return shapes;
  }

  @Test
  void everyShapeGetsWhatNamedGives(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Files.copy(AnswersBindDifferentialTest.EXAMPLE_ZONE, dir.resolve("example.test.zone"));
    int namedPort = TestNode.freePort();
    String conf =
        "http local-http { endpoints { \"/dns-query\"; }; };\n"
            + TransferPeers.namedOptions(
                dir,
                TestNode.freePort(),
                "  notify no;",
                "  listen-on port " + namedPort + " tls none http local-http { 127.0.0.1; };")
            + "zone \"example.test\" { type primary; file \"example.test.zone\"; };\n";
    int h2cPort = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.put("http", TestNode.localHttp());
    TestNode.listen(config, TestNode.listener(h2cPort, "h2c").put("http", "local-http"));
    List<String> differences = new ArrayList<>();
    Set<String> statuses = new TreeSet<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("example.test"));
      for (Shape shape : shapes()) {
        String theirs = outcome(namedPort, shape);
        String ours = outcome(h2cPort, shape);
        statuses.add(theirs.split(" ")[0]);
        if (!theirs.equals(ours)) {
          differences.add(shape.what() + ":\n  named " + theirs + "\n  vxdns " + ours);
        }
      }
    }
    assertTrue(
        differences.isEmpty(),
        differences.size() + " differences:\n" + String.join("\n", differences));
    assertTrue(statuses.size() >= 3, "several kinds of answer are seen: " + statuses);
  }

  /** The HTTP status, and for a 200 the DNS response's fields; or how the stream ended. */
  private static String outcome(int port, Shape shape) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(3000);
      Http2Client h2 = Http2Client.open(socket, "http", port);
      String[] fields = shape.fields().toArray(new String[0]);
      if (shape.body() != null) {
        fields = Arrays.copyOf(fields, fields.length + 2);
        fields[fields.length - 2] = "content-length";
        fields[fields.length - 1] = Integer.toString(shape.body().length);
      }
      byte[] block = Http2Client.headers(shape.method(), "http", port, shape.path(), fields);
      h2.headerBlock(1, block, shape.body() == null);
      if (shape.body() != null) {
        h2.frame(Http2Client.DATA, Http2Client.END_STREAM, 1, shape.body());
      }
      Http2Client.Response response = h2.response(1);
      if (response.status() < 0) {
        return "no-status reset=" + response.reset() + " goaway=" + response.goaway();
      }
      return response.status()
          + (response.status() == 200
              ? " " + RequestShapesBindDifferentialTest.outcome(response.body())
              : "");
    } catch (java.net.SocketTimeoutException silent) {
      return "timeout";
    }
  }
}
