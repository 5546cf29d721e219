package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;

class TsigKeyTest {
  private static final String SECRET = "DAopyf1mhCbFVZw7pgmNPBoLUq8wEUT7UuPoLENP2HY=";

  @ParameterizedTest
  @CsvSource({
    "hmac-md5, HMAC_MD5, 0, 16",
    "HMAC-MD5.SIG-ALG.REG.INT, HMAC_MD5, 0, 16",
    "hmac-sha1, HMAC_SHA1, 0, 20",
    "hmac-sha224, HMAC_SHA224, 0, 28",
    "hmac-sha256, HMAC_SHA256, 0, 32",
    "hmac-sha384, HMAC_SHA384, 0, 48",
    "hmac-sha512, HMAC_SHA512, 0, 64",
    "hmac-sha256-128, HMAC_SHA256, 128, 16",
    "hmac-sha1-80, HMAC_SHA1, 80, 10",
    "hmac-md5-80, HMAC_MD5, 80, 10",
    "hmac-sha512-256, HMAC_SHA512, 256, 32",
  })
  void parsesBindAlgorithms(String alg, TsigAlgorithm expected, int bits, int macLength) {
    TsigKey k = TsigKey.parse("host1-host2.", alg, SECRET);
    assertEquals(expected, k.algorithm());
    assertEquals(bits, k.truncationBits());
    assertEquals(macLength, k.macLength());
    assertEquals(Name.fromConstantString("host1-host2."), k.name());
    assertEquals(32, k.secret().length);
    assertFalse(k.toString().contains(SECRET), "toString must not leak the secret");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "k1 | hmac-sha999 | " + SECRET + " | key.k1.algorithm",
        "k2 | hmac-sha256-100 | " + SECRET + " | key.k2.algorithm",
        "k3 | hmac-sha256-64 | " + SECRET + " | key.k3.algorithm",
        "k4 | hmac-sha256-512 | " + SECRET + " | key.k4.algorithm",
        "k5 | hmac-sha256 | not*base64! | key.k5.secret",
        "k6 | hmac-sha256 | '' | key.k6.secret",
        "k7 | '' | " + SECRET + " | key.k7.algorithm",
        "bad..name | hmac-sha256 | " + SECRET + " | key.bad..name",
      })
  void errorsNameTheKey(String name, String alg, String secret, String prefix) {
    KeyConfigException e =
        assertThrows(KeyConfigException.class, () -> TsigKey.parse(name, alg, secret));
    assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    assertTrue(e.getMessage().contains("\"" + name + "\""), e.getMessage());
    assertEquals(name, e.keyName());
  }

  @Test
  void parsesConfigSection() {
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("host1-host2.", Map.of("algorithm", "hmac-sha256", "secret", SECRET));
    section.put("legacy", Map.of("algorithm", "hmac-md5", "secret", SECRET));
    List<TsigKey> keys = TsigKeys.parseConfig(section);
    assertEquals(2, keys.size());
    assertEquals(Name.fromConstantString("legacy."), keys.get(1).name());

    Map<String, Object> bad = Map.of("oops.", Map.of("algorithm", "hmac-sha256"));
    KeyConfigException e = assertThrows(KeyConfigException.class, () -> TsigKeys.parseConfig(bad));
    assertEquals("secret", e.field());
    assertTrue(e.getMessage().contains("oops."));

    Map<String, Object> extra =
        Map.of("x.", Map.of("algorithm", "hmac-sha256", "secret", SECRET, "secrte", "typo"));
    assertEquals(
        "secrte",
        assertThrows(KeyConfigException.class, () -> TsigKeys.parseConfig(extra)).field());
  }

  @ParameterizedTest
  @CsvSource({
    "hmac-md5, 16",
    "hmac-sha1, 20",
    "hmac-sha224, 28",
    "hmac-sha256, 32",
    "hmac-sha384, 48",
    "hmac-sha512, 64",
    "hmac-sha256-128, 32"
  })
  void generatesLikeTsigKeygen(String alg, int secretLength) {
    TsigKey k = TsigKeys.generate("host1-host2.", alg, new SecureRandom());
    assertEquals(secretLength, k.secret().length);
    String conf = TsigKeys.toBindConf(k);
    assertTrue(conf.startsWith("key \"host1-host2\" {\n\talgorithm " + alg + ";\n\tsecret \""));
    assertTrue(conf.endsWith("\";\n};\n"));
    String json = TsigKeys.toJson(k);
    assertTrue(json.startsWith("{ \"key\": { \"host1-host2\": { \"algorithm\": \"" + alg + "\""));
    TsigKey back = TsigKey.parse("host1-host2", alg, k.secretBase64());
    assertEquals(k, back);
  }

  @Test
  void generateDefaults() {
    TsigKey k = TsigKeys.generate(null, null, new SecureRandom());
    assertEquals(Name.fromConstantString("tsig-key."), k.name());
    assertEquals(TsigAlgorithm.HMAC_SHA256, k.algorithm());
    assertEquals(32, k.secret().length);
  }

  @Test
  void storeHidesExpiredKeys() {
    MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    InMemoryKeyStore store = new InMemoryKeyStore(clock);
    TsigKey fixed = TsigKey.parse("static.", "hmac-sha256", SECRET);
    TsigKey neg =
        TsigKey.negotiated(
            Name.fromConstantString("neg.example."),
            TsigAlgorithm.HMAC_MD5,
            new byte[16],
            clock.instant().plusSeconds(60),
            fixed.name());
    store.add(fixed);
    store.add(neg);
    assertEquals(2, store.list().size());
    assertTrue(store.find(Name.fromConstantString("NEG.example.")).isPresent());
    clock.advance(Duration.ofSeconds(60));
    assertTrue(store.find(neg.name()).isEmpty());
    assertEquals(List.of(fixed), store.list());
    assertTrue(store.remove(fixed.name()));
    assertFalse(store.remove(fixed.name()));
  }
}
