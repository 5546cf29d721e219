package dev.vxdns.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * The control channel's request authentication, as rndc's: client and node share a TSIG key; every
 * request carries a timestamp, a random nonce and an HMAC with that key over the method, the path
 * (as sent, with its query), the timestamp, the nonce and the body. The node checks the MAC in
 * constant time, the timestamp within {@link #WINDOW} and that the nonce was not seen within the
 * window. Stateless and thread-safe; the replay memory is the node's.
 */
public final class ControlMac {
  public static final String TIME_HEADER = "X-Vxdns-Time";
  public static final String NONCE_HEADER = "X-Vxdns-Nonce";
  public static final String MAC_HEADER = "X-Vxdns-Mac";

  /** How far a request's timestamp may be from the node's clock: TSIG's usual fudge. */
  public static final Duration WINDOW = Duration.ofSeconds(300);

  /** Random octets in a nonce, sent as lower-case hex. */
  public static final int NONCE_OCTETS = 16;

  private ControlMac() {}

  /** A fresh nonce: {@value #NONCE_OCTETS} random octets in lower-case hex. */
  public static String newNonce(SecureRandom random) {
    byte[] octets = new byte[NONCE_OCTETS];
    random.nextBytes(octets);
    return HexFormat.of().formatHex(octets);
  }

  /**
   * True when {@code nonce} has the form {@link #newNonce} gives (bounds what a node remembers).
   */
  public static boolean isWellFormedNonce(String nonce) {
    return nonce != null && nonce.matches("[0-9a-f]{" + 2 * NONCE_OCTETS + "}");
  }

  /** The MAC header's value (base64) for a request. */
  public static String sign(
      TsigKey key, String method, String path, byte[] body, long epochSeconds, String nonce) {
    return Base64.getEncoder().encodeToString(mac(key, method, path, body, epochSeconds, nonce));
  }

  /** True when {@code macBase64} is the request's MAC; compared in constant time. */
  public static boolean verify(
      TsigKey key,
      String method,
      String path,
      byte[] body,
      long epochSeconds,
      String nonce,
      String macBase64) {
    byte[] received;
    try {
      received = Base64.getDecoder().decode(macBase64);
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
    return MessageDigest.isEqual(mac(key, method, path, body, epochSeconds, nonce), received);
  }

  private static byte[] mac(
      TsigKey key, String method, String path, byte[] body, long epochSeconds, String nonce) {
    Mac mac = TsigMac.newMac(key);
    // One field a line, the body last: none of the fields can hold a newline, so no two requests
    // give the same input.
    String fields = method + "\n" + path + "\n" + epochSeconds + "\n" + nonce + "\n";
    mac.update(fields.getBytes(StandardCharsets.UTF_8));
    mac.update(body);
    return mac.doFinal();
  }
}
