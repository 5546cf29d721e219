package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.DhGroup;
import dev.vxdns.auth.DhKey;
import dev.vxdns.auth.TkeyClient;
import dev.vxdns.auth.TsigAlgorithm;
import dev.vxdns.auth.TsigKey;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A TSIG key negotiated with TKEY on one clustered node verifies on the others (the key is shared
 * through the cluster), and once deleted on one node it verifies nowhere. A key nobody negotiated
 * is refused (the negative control).
 */
class ClusterTkeyTest {
  @TempDir Path dir;

  private final SecureRandom random = new SecureRandom();

  @Test
  void aKeyNegotiatedOnOneNodeVerifiesOnTheOthers() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.onLoopback(dir, "full", "full", "full")) {
      ClusterChecks checks = new ClusterChecks(nodes);
      nodes.startAll();
      checks.converged("started");

      TkeyClient client =
          new TkeyClient(
              DhKey.generate(Name.fromString("client-dh."), DhGroup.MODP1024, random),
              random,
              Clock.systemUTC());
      TkeyClient.DhQuery query =
          client.buildDhQuery(Name.fromString("session1."), Duration.ofMinutes(10));
      Message response = send(nodes, 0, query.message(), nodes.updateKey());
      assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
      TsigKey negotiated = client.processDhResponse(query, response);

      for (int i = 0; i < nodes.size(); i++) {
        Message answer = soa(nodes, i, negotiated.toDnsjava());
        assertEquals(Rcode.NOERROR, answer.getRcode(), "node " + (i + 1) + ": " + answer);
        assertTrue(answer.isVerified(), "node " + (i + 1) + " signs with the negotiated key");
      }
      TsigKey stranger =
          TsigKey.negotiated(
              Name.fromString("session2.tkey.test."),
              TsigAlgorithm.fromBindName("hmac-sha256").orElseThrow(),
              new byte[32],
              Instant.now().plusSeconds(600),
              null);
      assertEquals(
          Rcode.NOTAUTH, soa(nodes, 2, stranger.toDnsjava()).getRcode(), "a key never negotiated");

      Message deleted =
          send(nodes, 1, TkeyClient.buildDeleteQuery(negotiated), negotiated.toDnsjava());
      TkeyClient.checkDeleteResponse(deleted);
      for (int i = 0; i < nodes.size(); i++) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int rcode;
        do {
          rcode = soa(nodes, i, negotiated.toDnsjava()).getRcode();
        } while (rcode == Rcode.NOERROR && System.nanoTime() < deadline);
        assertFalse(rcode == Rcode.NOERROR, "node " + (i + 1) + " after the key was deleted");
        assertEquals(Rcode.NOTAUTH, rcode, "node " + (i + 1) + ": BADKEY");
      }
    }
  }

  private static Message soa(ClusterNodes nodes, int i, TSIG key) throws Exception {
    return send(
        nodes,
        i,
        Message.newQuery(Record.newRecord(ClusterNodes.ORIGIN, Type.SOA, DClass.IN)),
        key);
  }

  private static Message send(ClusterNodes nodes, int i, Message query, TSIG key) throws Exception {
    SimpleResolver resolver = nodes.resolver(i);
    resolver.setTCP(true);
    resolver.setTSIGKey(key);
    resolver.setTimeout(Duration.ofSeconds(10));
    return resolver.send(query);
  }
}
