package dev.vxdns.endtoend;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** DNS message parts as raw bytes, for tests that send what no library would build. */
final class WireBytes {
  private WireBytes() {}

  /** A name's wire form, uncompressed; "" is the root. */
  static byte[] name(String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!name.isEmpty()) {
      for (String label : name.split("\\.")) {
        out.write(label.length());
        out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
      }
    }
    out.write(0);
    return out.toByteArray();
  }

  static byte[] u16(int value) {
    return new byte[] {(byte) (value >> 8), (byte) value};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * A TSIG record with this key name, for hmac-sha256, signed now, with an all-zero MAC: well
   * formed, never valid.
   */
  static byte[] zeroMacTsig(String keyName) {
    byte[] algorithm = name("hmac-sha256");
    byte[] rdata =
        ByteBuffer.allocate(algorithm.length + 10 + 32 + 6)
            .put(algorithm)
            .putShort((short) 0)
            .putInt((int) (System.currentTimeMillis() / 1000))
            .putShort((short) 300)
            .putShort((short) 32)
            .put(new byte[32])
            .putShort((short) 0x1234)
            .putShort((short) 0)
            .putShort((short) 0)
            .array();
    return concat(name(keyName), u16(250), u16(255), new byte[4], u16(rdata.length), rdata);
  }
}
