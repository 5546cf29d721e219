package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIND's {@code tls NAME { protocols { TLSv1.3; }; }}: a DNS-over-TLS listener on such an entry
 * refuses a client that offers TLS 1.2 only and takes one that offers TLS 1.3, in named 9.20 and in
 * vxdns alike; a listener on an entry without {@code protocols} (the control) takes both.
 */
class TlsProtocolsBindDifferentialTest {
  private static final List<String> OFFERS = List.of("TLSv1.2", "TLSv1.3");

  @Test
  void aTls13OnlyListenerRefusesTls12AsNamedDoes(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    TestCertificate certificate = TestCertificate.create(dir.resolve("tls"));
    SSLContext trusting = TestCertificate.trusting(certificate.cert());
    int[] ports = TransferPeers.freePorts(5);
    List<String> theirs;
    String conf =
        TransferPeers.namedOptions(
                dir,
                ports[0],
                "  listen-on port " + ports[1] + " tls only13 { 127.0.0.1; };",
                "  listen-on port " + ports[2] + " tls both { 127.0.0.1; };")
            + tlsStatement("only13", certificate, "  protocols { TLSv1.3; };")
            + tlsStatement("both", certificate, "");
    try (Peer named = TransferPeers.startNamed(dir, conf)) {
      theirs = outcomes(trusting, ports[1], ports[2]);
    }
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.put(
        "tls",
        new JsonObject()
            .put("only13", tlsEntry(certificate).put("protocols", new JsonArray().add("TLSv1.3")))
            .put("both", tlsEntry(certificate)));
    TestNode.listen(config, TestNode.listener(ports[3], "dot").put("tls", "only13"));
    TestNode.listen(config, TestNode.listener(ports[4], "dot").put("tls", "both"));
    List<String> ours;
    try (TestNode node = TestNode.start(config)) {
      ours = outcomes(trusting, ports[3], ports[4]);
    }
    assertEquals(
        List.of(
            "only13 TLSv1.2 refused",
            "only13 TLSv1.3 handshake",
            "both TLSv1.2 handshake",
            "both TLSv1.3 handshake"),
        theirs,
        "named");
    assertEquals(theirs, ours, "vxdns");
  }

  private static String tlsStatement(String name, TestCertificate certificate, String more) {
    return "tls "
        + name
        + " { cert-file \""
        + certificate.cert()
        + "\"; key-file \""
        + certificate.key()
        + "\";"
        + more
        + " };\n";
  }

  private static JsonObject tlsEntry(TestCertificate certificate) {
    return new JsonObject()
        .put("cert-file", certificate.cert().toString())
        .put("key-file", certificate.key().toString());
  }

  /** Each listener's handshake with a client offering one TLS version at a time. */
  private static List<String> outcomes(SSLContext trusting, int only13, int both) throws Exception {
    List<String> outcomes = new ArrayList<>();
    for (String listener : List.of("only13", "both")) {
      for (String offer : OFFERS) {
        boolean shook = handshakes(trusting, listener.equals("only13") ? only13 : both, offer);
        outcomes.add(listener + " " + offer + (shook ? " handshake" : " refused"));
      }
    }
    return outcomes;
  }

  private static boolean handshakes(SSLContext trusting, int port, String protocol)
      throws Exception {
    try (SSLSocket socket =
        (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {protocol});
      socket.startHandshake();
      return protocol.equals(socket.getSession().getProtocol());
    } catch (SSLException e) {
      return false;
    }
  }
}
