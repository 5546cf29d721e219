package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS over HTTPS (RFC 8484) through a whole node: HTTP/2 over TLS, h2c, the error codes, curl,
 * kdig.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DohEndToEndTest {
  private TestNode node;
  private int dohPort;
  private int h2cPort;
  private Path cert;
  private HttpClient https;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    cert = certificate.cert();

    int udp = TestNode.freePort();
    dohPort = TestNode.freePort();
    h2cPort = TestNode.freePort();
    JsonObject config = TestNode.config(udp, Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config.put("http", TestNode.localHttp());
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", udp))
                .add(TestCertificate.listener("doh", dohPort).put("http", "local-http"))
                .add(TestNode.listener(h2cPort, "h2c")));
    node = TestNode.start(config);

    https = DohClient.https(certificate.trustingContext());
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static byte[] query(String name, int type) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(0); // RFC 8484 section 4.1: id 0 keeps responses cacheable
    return query.toWire();
  }

  private String url(int port, String scheme) {
    return scheme + "://127.0.0.1:" + port + "/dns-query";
  }

  @Test
  void getOverHttp2WithTls() throws Exception {
    HttpResponse<byte[]> response =
        DohClient.get(https, url(dohPort, "https"), query("www.example.test.", Type.A));
    assertEquals(200, response.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, response.version());
    assertEquals(
        "application/dns-message", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals("max-age=3600", response.headers().firstValue("Cache-Control").orElse(""));
    Message answer = new Message(response.body());
    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertEquals(2, answer.getSection(Section.ANSWER).size());
  }

  @Test
  void postAndTheNegativeTtl() throws Exception {
    HttpResponse<byte[]> response =
        DohClient.post(
            https,
            url(dohPort, "https"),
            query("nope.example.test.", Type.A),
            "application/dns-message");
    assertEquals(200, response.statusCode());
    assertEquals(Rcode.NXDOMAIN, new Message(response.body()).getRcode());
    assertEquals("max-age=300", response.headers().firstValue("Cache-Control").orElse(""));
  }

  @Test
  void badRequestsGetTheirStatusCodes() throws Exception {
    String url = url(dohPort, "https");
    HttpRequest badParameter =
        HttpRequest.newBuilder(URI.create(url + "?dns=not*base64url!")).build();
    assertEquals(
        400, https.send(badParameter, HttpResponse.BodyHandlers.discarding()).statusCode());
    HttpRequest noParameter = HttpRequest.newBuilder(URI.create(url)).build();
    assertEquals(400, https.send(noParameter, HttpResponse.BodyHandlers.discarding()).statusCode());
    // One question announced, a name cut short after its first byte: answered FORMERR, as BIND.
    HttpResponse<byte[]> cut =
        DohClient.get(https, url, new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5});
    assertEquals(200, cut.statusCode());
    assertEquals(Rcode.FORMERR, new Message(cut.body()).getRcode());
    // Shorter than a header: not a DNS query.
    assertEquals(400, DohClient.get(https, url, new byte[] {0x12, 0x34, 0x01}).statusCode());
    assertEquals(
        415,
        DohClient.post(https, url, query("www.example.test.", Type.A), "text/plain").statusCode());
    assertEquals(
        413, DohClient.post(https, url, new byte[70_000], "application/dns-message").statusCode());
    HttpRequest put =
        HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.noBody()).build();
    assertEquals(501, https.send(put, HttpResponse.BodyHandlers.discarding()).statusCode());
    assertEquals(
        200,
        DohClient.get(https, url, query("www.example.test.", Type.A)).statusCode(),
        "still serving");
  }

  @Test
  void h2cOverHttp11AndHttp2() throws Exception {
    HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<byte[]> one =
        DohClient.get(http11, url(h2cPort, "http"), query("www.example.test.", Type.A));
    assertEquals(200, one.statusCode());
    assertEquals(Rcode.NOERROR, new Message(one.body()).getRcode());
    HttpClient upgrading = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    HttpResponse<byte[]> two =
        DohClient.get(upgrading, url(h2cPort, "http"), query("www.example.test.", Type.A));
    assertEquals(200, two.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, two.version(), "h2c upgrade");
  }

  @Test
  void curlGetAndPost(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("curl", "curl");
    String dns = DohClient.base64url(query("www.example.test.", Type.A));
    Path got = dir.resolve("get.bin");
    run(
        List.of(
            "curl",
            "-sS",
            "--http2",
            "--cacert",
            cert.toString(),
            "-o",
            got.toString(),
            url(dohPort, "https") + "?dns=" + dns));
    assertEquals(Rcode.NOERROR, new Message(Files.readAllBytes(got)).getRcode());
    Path body = dir.resolve("query.bin");
    Files.write(body, query("example.test.", Type.SOA));
    Path posted = dir.resolve("post.bin");
    run(
        List.of(
            "curl",
            "-sS",
            "--http2",
            "--cacert",
            cert.toString(),
            "-H",
            "Content-Type: application/dns-message",
            "--data-binary",
            "@" + body,
            "-o",
            posted.toString(),
            url(dohPort, "https")));
    assertEquals(Rcode.NOERROR, new Message(Files.readAllBytes(posted)).getRcode());
  }

  @Test
  void kdigOverHttps() throws Exception {
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    String output =
        DigInteropTest.run(
            "kdig",
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(dohPort),
                "+https",
                "+timeout=3",
                "+retry=0",
                "example.test.",
                "SOA"));
    assertTrue(output.contains("status: NOERROR"), output);
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), command.toString());
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.exitValue(), output);
  }
}
