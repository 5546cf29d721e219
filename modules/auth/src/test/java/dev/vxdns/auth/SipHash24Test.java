package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipHash24Test {
  @Test
  void everyReferenceVector() throws IOException {
    List<String> vectors;
    try (InputStream in = getClass().getResourceAsStream("siphash24-vectors.txt")) {
      vectors =
          new String(in.readAllBytes(), StandardCharsets.US_ASCII)
              .lines()
              .filter(line -> !line.startsWith("#"))
              .toList();
    }
    assertEquals(64, vectors.size());
    byte[] key = new byte[16];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) i;
    }
    for (int length = 0; length < vectors.size(); length++) {
      // Padded on both sides: only in[0..length) counts, and only out[3..11) is written.
      byte[] in = new byte[length + 5];
      for (int i = 0; i < in.length; i++) {
        in[i] = (byte) i;
      }
      byte[] out = new byte[14];
      SipHash24.hash(key, in, length, out, 3);
      assertEquals(
          vectors.get(length),
          HexFormat.of().formatHex(out, 3, 11),
          "the tag of " + length + " octets");
      assertEquals(0, out[0] | out[1] | out[2] | out[11] | out[12] | out[13]);
    }
  }
}
