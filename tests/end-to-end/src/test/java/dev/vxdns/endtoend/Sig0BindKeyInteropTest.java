package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIG0;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * SIG(0) with a key made by BIND's own {@code dnssec-keygen -T KEY}: its KEY record goes into the
 * zone as BIND writes it, the project's client signs with its private key, and the signer reaches
 * later stages. Skipped when dnssec-keygen (Debian bind9-utils) is missing.
 */
class Sig0BindKeyInteropTest {
  @Test
  void aKeyFromDnssecKeygenVerifies(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("dnssec-keygen", "bind9-utils");
    Process keygen =
        new ProcessBuilder(
                "dnssec-keygen",
                "-K",
                dir.toString(),
                "-T",
                "KEY",
                "-a",
                "ECDSAP256SHA256",
                "-n",
                "USER",
                "client.sig0.test.")
            .redirectErrorStream(true)
            .start();
    assertTrue(keygen.waitFor(30, TimeUnit.SECONDS));
    String base = new String(keygen.getInputStream().readAllBytes()).strip();
    assertEquals(0, keygen.exitValue(), base);
    String keyLine =
        Files.readString(dir.resolve(base + ".key"))
            .lines()
            .filter(line -> !line.startsWith(";"))
            .findFirst()
            .orElseThrow();
    String privateKey =
        Files.readString(dir.resolve(base + ".private"))
            .lines()
            .filter(line -> line.startsWith("PrivateKey:"))
            .findFirst()
            .orElseThrow()
            .substring("PrivateKey:".length())
            .strip();

    Path zone = dir.resolve("sig0.test.zone");
    Files.writeString(
        zone,
        String.join(
            "\n",
            "$ORIGIN sig0.test.",
            "$TTL 300",
            "@ IN SOA ns.sig0.test. admin.sig0.test. 1 3600 600 86400 60",
            "@ IN NS ns.sig0.test.",
            "ns IN A 192.0.2.1",
            keyLine,
            ""));
    KEYRecord key;
    try (Master master = new Master(zone.toString())) {
      Record record;
      KEYRecord found = null;
      while ((record = master.nextRecord()) != null) {
        if (record instanceof KEYRecord) {
          found = (KEYRecord) record;
        }
      }
      key = found;
    }

    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.getJsonObject("zone").put("sig0.test", new JsonObject().put("file", zone.toString()));
    config.getJsonObject("options").put("whoami", "whoami.vxdns.");
    try (TestNode node = TestNode.start(config)) {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("whoami.vxdns."), Type.TXT, DClass.CH));
      SIG0.signMessage(query, key, ecPrivateKey(privateKey), null);
      Message response = new Message(node.udpRaw(query.toWire(), 3000));
      assertEquals(Rcode.NOERROR, response.getRcode());
      List<String> lines =
          response.getSection(Section.ANSWER).stream()
              .map(r -> String.join("", ((TXTRecord) r).getStrings()))
              .collect(Collectors.toList());
      assertTrue(lines.contains("key client.sig0.test."), lines.toString());
    }
  }

  /** BIND's v1.3 private-key format stores an ECDSA key as its scalar, base64. */
  private static PrivateKey ecPrivateKey(String base64Scalar) throws Exception {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec curve = parameters.getParameterSpec(ECParameterSpec.class);
    BigInteger scalar = new BigInteger(1, Base64.getDecoder().decode(base64Scalar));
    return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(scalar, curve));
  }
}
