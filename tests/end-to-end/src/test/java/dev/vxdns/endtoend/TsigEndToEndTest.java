package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** TSIG (RFC 8945) through whole nodes: dnsjava and BIND's dig as clients, both deliveries. */
class TsigEndToEndTest {
  static final String KEY_256 = "host1-host2.";
  static final String SECRET_256 =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final String KEY_512 = "transfer.";
  static final String SECRET_512 =
      Base64.getEncoder()
          .encodeToString(
              "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210".getBytes());

  static JsonObject config(int port, Delivery delivery) {
    JsonObject config = TestNode.config(port, delivery);
    config.put(
        "key",
        new JsonObject()
            .put(
                KEY_256, new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET_256))
            .put(
                KEY_512,
                new JsonObject().put("algorithm", "hmac-sha512").put("secret", SECRET_512)));
    return config;
  }

  static Message signedQuery(TestNode node, TSIG key, boolean tcp) throws Exception {
    SimpleResolver resolver = node.resolver(tcp);
    resolver.setTSIGKey(key);
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN)));
  }

  static TSIG key(String algorithm, String name, String secret, Clock clock) throws Exception {
    byte[] bytes = Base64.getDecoder().decode(secret);
    String jca = algorithm.equals("hmac-sha512") ? "HmacSHA512" : "HmacSHA256";
    return new TSIG(
        Name.fromString(algorithm + "."),
        Name.fromString(name),
        new SecretKeySpec(bytes, jca),
        clock);
  }

  @Nested
  class DirectDelivery extends Cases implements BothDeliveries.Direct {}

  @Nested
  class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}

  abstract static class Cases extends BothDeliveries {
    @Override
    TestNode startNode(Delivery delivery) throws Exception {
      return TestNode.start(config(TestNode.freePort(), delivery));
    }

    @ParameterizedTest(name = "{0} tcp={1}")
    @CsvSource({
      "hmac-sha256, false",
      "hmac-sha256, true",
      "hmac-sha512, false",
      "hmac-sha512, true"
    })
    void aSignedQueryGetsAResponseSignedWithTheSameKey(String algorithm, boolean tcp)
        throws Exception {
      TSIG key =
          algorithm.equals("hmac-sha256")
              ? key(algorithm, KEY_256, SECRET_256, Clock.systemUTC())
              : key(algorithm, KEY_512, SECRET_512, Clock.systemUTC());
      Message response = signedQuery(node, key, tcp);
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(response.isSigned(), "the response carries a TSIG");
      assertTrue(response.isVerified(), "and it verifies with the request's key");
      assertEquals(1, response.getSection(Section.ANSWER).size());
    }

    @Test
    void anUnknownKeyGetsBadkeyUnsigned() throws Exception {
      Message response =
          signedQuery(node, key("hmac-sha256", "nobody.", SECRET_256, Clock.systemUTC()), false);
      assertEquals(Rcode.NOTAUTH, response.getHeader().getRcode());
      assertNotNull(response.getTSIG());
      assertEquals(Rcode.BADKEY, response.getTSIG().getError());
      assertEquals(0, response.getTSIG().getSignature().length, "BADKEY responses are not signed");
    }

    @Test
    void aWrongSecretGetsBadsig() throws Exception {
      String wrong =
          Base64.getEncoder().encodeToString("not-the-secret-not-the-secret-!!".getBytes());
      Message response =
          signedQuery(node, key("hmac-sha256", KEY_256, wrong, Clock.systemUTC()), true);
      assertEquals(Rcode.NOTAUTH, response.getHeader().getRcode());
      assertEquals(Rcode.BADSIG, response.getTSIG().getError());
    }

    @Test
    void aSkewedClockGetsASignedBadtimeWithTheServersTime() throws Exception {
      Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
      TSIG key = key("hmac-sha256", KEY_256, SECRET_256, skewed);
      Message response = signedQuery(node, key, false);
      assertEquals(Rcode.NOTAUTH, response.getHeader().getRcode());
      assertEquals(Rcode.BADTIME, response.getTSIG().getError());
      assertTrue(response.getTSIG().getSignature().length > 0, "BADTIME responses are signed");
      assertEquals(
          6, response.getTSIG().getOther().length, "Other Data carries the server's 48-bit time");
    }

    @Test
    void unsignedQueriesStillWork() throws Exception {
      Message response = node.query("example.test.", Type.SOA, false);
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertFalse(response.isSigned());
    }
  }

  /** BIND's dig with -y and -k: its own TSIG code must verify our responses. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class Dig {
    TestNode node;

    @BeforeAll
    void start() throws Exception {
      node = TestNode.start(config(TestNode.freePort(), Delivery.DIRECT));
    }

    @AfterAll
    void stop() throws Exception {
      node.close();
    }

    String dig(String... args) throws Exception {
      List<String> command =
          new ArrayList<>(
              List.of("@127.0.0.1", "-p", Integer.toString(node.port), "+time=3", "+tries=1"));
      command.addAll(List.of(args));
      return DigInteropTest.run("dig", command);
    }

    @ParameterizedTest(name = "dig -y {0}")
    @CsvSource({"+notcp", "+tcp"})
    void digVerifiesOurSignature(String transport) throws Exception {
      String output =
          dig("-y", "hmac-sha256:" + KEY_256 + ":" + SECRET_256, transport, "example.test.", "SOA");
      assertTrue(output.contains("status: NOERROR"), output);
      assertTrue(output.contains("TSIG PSEUDOSECTION"), output);
      assertTrue(
          output.contains("NOERROR") && !output.contains("verify") && !output.contains("failure"),
          output);
    }

    @Test
    void digWithAKeyFile(@TempDir Path dir) throws Exception {
      Path keyFile = dir.resolve("transfer.key");
      Files.writeString(
          keyFile,
          "key \""
              + KEY_512
              + "\" {\n  algorithm hmac-sha512;\n  secret \""
              + SECRET_512
              + "\";\n};\n");
      String output = dig("-k", keyFile.toString(), "+tcp", "www.example.test.", "A");
      assertTrue(output.contains("status: NOERROR"), output);
      assertTrue(output.contains("TSIG PSEUDOSECTION") && !output.contains("failure"), output);
    }

    @Test
    void digWithAWrongSecretSeesBadsig() throws Exception {
      String wrong =
          Base64.getEncoder().encodeToString("not-the-secret-not-the-secret-!!".getBytes());
      String output = dig("-y", "hmac-sha256:" + KEY_256 + ":" + wrong, "example.test.", "SOA");
      assertTrue(output.contains("status: NOTAUTH"), output);
      assertTrue(output.contains("BADSIG"), output);
    }

    @Test
    void digWithAnUnknownKeySeesBadkey() throws Exception {
      String output = dig("-y", "hmac-sha256:nobody.:" + SECRET_256, "example.test.", "SOA");
      assertTrue(output.contains("status: NOTAUTH"), output);
      assertTrue(output.contains("BADKEY"), output);
    }
  }
}
