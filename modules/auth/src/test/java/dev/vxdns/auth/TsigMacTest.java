package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Name;

class TsigMacTest {
  private static byte[] reference(TsigKey k, byte[] data) throws Exception {
    Mac mac = Mac.getInstance(k.algorithm().jcaName());
    mac.init(new SecretKeySpec(k.secret(), k.algorithm().jcaName()));
    return mac.doFinal(data);
  }

  @ParameterizedTest
  @EnumSource(TsigAlgorithm.class)
  void everyMacIsAFreshKeyedOneAndThePrototypeIsNeverHandedOut(TsigAlgorithm alg) throws Exception {
    TsigKey k = TsigVerifierTest.key(alg);
    Mac prototype = k.macPrototype();
    assertNotNull(prototype, "every JDK HMAC is keyed once, with the key");
    byte[] data = "the message".getBytes(StandardCharsets.US_ASCII);

    Mac first = TsigMac.newMac(k);
    assertNotSame(prototype, first);
    // A MAC left half-updated must not leak into the next one.
    first.update((byte) 1);
    Mac second = TsigMac.newMac(k);
    assertNotSame(prototype, second);
    assertNotSame(first, second);
    assertArrayEquals(reference(k, data), second.doFinal(data));
    assertArrayEquals(reference(k, data), TsigMac.newMac(k).doFinal(data));
    assertSame(prototype, k.macPrototype(), "built once per key");
  }

  @Test
  void macsOnOneKeyFromManyThreadsAllAgree() throws Exception {
    TsigKey k = TsigVerifierTest.key(TsigAlgorithm.HMAC_SHA256);
    int threads = 8;
    int rounds = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Integer> task =
            () -> {
              start.await();
              int ok = 0;
              for (int i = 0; i < rounds; i++) {
                byte[] data =
                    ("thread " + thread + " round " + i).getBytes(StandardCharsets.US_ASCII);
                if (java.util.Arrays.equals(reference(k, data), TsigMac.newMac(k).doFinal(data))) {
                  ok++;
                }
              }
              return ok;
            };
        done.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Integer> f : done) {
        assertEquals(rounds, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void thePrototypeIsNoPartOfTheKeysValue() {
    byte[] secret = new byte[32];
    Name name = Name.fromConstantString("k.");
    Instant expires = Instant.parse("2030-01-01T00:00:00Z");
    TsigKey used = TsigKey.negotiated(name, TsigAlgorithm.HMAC_SHA256, secret, expires, name);
    TsigKey unused = TsigKey.negotiated(name, TsigAlgorithm.HMAC_SHA256, secret, expires, name);
    String before = used.toString();
    int hash = used.hashCode();
    TsigMac.newMac(used);
    assertNotSame(used.macPrototype(), unused.macPrototype());
    assertEquals(unused, used);
    assertEquals(used, unused);
    assertEquals(hash, used.hashCode());
    assertEquals(unused.hashCode(), used.hashCode());
    assertEquals(before, used.toString());
    assertEquals(unused.toString(), used.toString());
  }
}
