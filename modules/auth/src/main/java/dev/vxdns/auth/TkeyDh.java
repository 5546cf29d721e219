package dev.vxdns.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The TKEY Diffie-Hellman secret derivation of RFC 2930 section 4.1 as BIND 9.18 implements it
 * (lib/dns/tkey.c compute_secret):
 *
 * <pre>
 *   D = MD5(query nonce | DH value) | MD5(server nonce | DH value)      (32 octets)
 *   if |DH value| > 32: secret = DH value with its first 32 octets XORed with D
 *   else:               secret = D with its first |DH value| octets XORed with the DH value
 * </pre>
 *
 * <p>The query nonce is the key data of the client's TKEY, the server nonce the key data of the
 * server's TKEY (BIND: 16 random octets). DH value: unpadded big-endian shared value.
 */
final class TkeyDh {
  private TkeyDh() {}

  static byte[] deriveSecret(byte[] dhValue, byte[] queryNonce, byte[] serverNonce) {
    byte[] d1 = md5(queryNonce, dhValue);
    byte[] d2 = md5(serverNonce, dhValue);
    byte[] digests = new byte[d1.length + d2.length];
    System.arraycopy(d1, 0, digests, 0, d1.length);
    System.arraycopy(d2, 0, digests, d1.length, d2.length);
    byte[] secret;
    if (dhValue.length > digests.length) {
      secret = dhValue.clone();
      for (int i = 0; i < digests.length; i++) {
        secret[i] ^= digests[i];
      }
    } else {
      secret = digests;
      for (int i = 0; i < dhValue.length; i++) {
        secret[i] ^= dhValue[i];
      }
    }
    return secret;
  }

  private static byte[] md5(byte[] nonce, byte[] value) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      if (nonce != null) {
        md.update(nonce);
      }
      md.update(value);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }
}
