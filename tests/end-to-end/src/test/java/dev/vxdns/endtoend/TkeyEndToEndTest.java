package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.DhGroup;
import dev.vxdns.auth.DhKey;
import dev.vxdns.auth.TkeyClient;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * TKEY Diffie-Hellman (RFC 2930) against a node: negotiate, use, delete, as BIND 9.18's clients do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TkeyEndToEndTest {
  /** tkey-max-keys-per-client: room for what the other tests negotiate with KEY_256. */
  private static final int PER_CLIENT = 3;

  private TestNode node;
  private final SecureRandom random = new SecureRandom();

  @BeforeAll
  void start() throws Exception {
    JsonObject config = TsigEndToEndTest.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put("tkey-domain", "tkey.test.")
        .put("tkey-max-keys-per-client", PER_CLIENT);
    node = TestNode.start(config);
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  private Message send(Message query, TSIG key) throws Exception {
    SimpleResolver resolver = node.resolver(true);
    resolver.setTSIGKey(key);
    return resolver.send(query);
  }

  private static TSIG configuredKey() throws Exception {
    return TsigKey.parse(TsigEndToEndTest.KEY_256, "hmac-sha256", TsigEndToEndTest.SECRET_256)
        .toDnsjava();
  }

  private TsigKey negotiate(String qname) throws Exception {
    return negotiate(qname, configuredKey());
  }

  private TsigKey negotiate(String qname, TSIG signer) throws Exception {
    TkeyClient client =
        new TkeyClient(
            DhKey.generate(Name.fromString("client-dh."), DhGroup.MODP1024, random),
            random,
            Clock.systemUTC());
    TkeyClient.DhQuery query = client.buildDhQuery(Name.fromString(qname), Duration.ofMinutes(10));
    Message response = send(query.message(), signer);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertTrue(
        response.isVerified(), "the TKEY answer is signed with the key that signed the request");
    return client.processDhResponse(query, response);
  }

  private Message soaSignedWith(TsigKey key) throws Exception {
    return send(
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN)),
        key.toDnsjava());
  }

  @Test
  void aNegotiatedKeySignsQueriesUntilItIsDeleted() throws Exception {
    TsigKey negotiated = negotiate("session1.");
    assertEquals(Name.fromString("session1.tkey.test."), negotiated.name());
    Message answer = soaSignedWith(negotiated);
    assertEquals(Rcode.NOERROR, answer.getRcode());
    assertTrue(answer.isVerified(), "the server signs with the negotiated key");

    Message deleted = send(TkeyClient.buildDeleteQuery(negotiated), negotiated.toDnsjava());
    TkeyClient.checkDeleteResponse(deleted);

    Message after = soaSignedWith(negotiated);
    assertEquals(Rcode.NOTAUTH, after.getHeader().getRcode());
    assertEquals(Rcode.BADKEY, after.getTSIG().getError());
  }

  @Test
  void aRootQnameGetsAGeneratedName() throws Exception {
    TsigKey negotiated = negotiate(".");
    assertTrue(
        negotiated.name().subdomain(Name.fromString("tkey.test.")), negotiated.name().toString());
    assertEquals(Rcode.NOERROR, soaSignedWith(negotiated).getRcode());
  }

  @Test
  void anUnsignedTkeyQueryIsFormerr() throws Exception {
    TkeyClient client =
        new TkeyClient(
            DhKey.generate(Name.fromString("client-dh."), DhGroup.MODP1024, random),
            random,
            Clock.systemUTC());
    Message response =
        node.resolver(true)
            .send(client.buildDhQuery(Name.fromString("x."), Duration.ofMinutes(10)).message());
    assertEquals(Rcode.FORMERR, response.getRcode());
  }

  @Test
  void aClientOverItsCapIsRefusedWhileAnotherStillNegotiates() throws Exception {
    TSIG capped =
        TsigKey.parse(TsigEndToEndTest.KEY_512, "hmac-sha512", TsigEndToEndTest.SECRET_512)
            .toDnsjava();
    for (int i = 0; i < PER_CLIENT; i++) {
      assertEquals(Rcode.NOERROR, soaSignedWith(negotiate("capped" + i + ".", capped)).getRcode());
    }
    TkeyClient client =
        new TkeyClient(
            DhKey.generate(Name.fromString("client-dh."), DhGroup.MODP1024, random),
            random,
            Clock.systemUTC());
    Message refused =
        send(
            client.buildDhQuery(Name.fromString("one-too-many."), Duration.ofMinutes(10)).message(),
            capped);
    assertEquals(Rcode.REFUSED, refused.getRcode(), refused.toString());
    assertTrue(refused.isVerified(), "the refusal is signed like any answer to a signed query");

    TsigKey other = negotiate("other-client.");
    assertEquals(Rcode.NOERROR, soaSignedWith(other).getRcode(), "another client still succeeds");
  }
}
