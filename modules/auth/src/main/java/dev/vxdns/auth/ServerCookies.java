package dev.vxdns.auth;

import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * DNS Cookies' server side (RFC 7873) with the interoperable server cookie of RFC 9018, as BIND
 * 9.20 makes and checks it: version 1, three reserved zero octets, the time in seconds, and
 * SipHash-2-4 over the client cookie, those eight octets and the client's address, keyed with the
 * server secret. Servers sharing a secret (an anycast set, a cluster, BIND with the same {@code
 * cookie-secret}) accept each other's cookies.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServerCookies {
  public static final int CLIENT_COOKIE_LENGTH = 8;
  public static final int SERVER_COOKIE_LENGTH = 16;

  /** The COOKIE option's data in a response: the client's cookie, then the server's. */
  public static final int OPTION_LENGTH = CLIENT_COOKIE_LENGTH + SERVER_COOKIE_LENGTH;

  private static final int VERSION = 1;

  /** RFC 9018 §4.3 and BIND: a cookie minted up to 5 minutes ahead (clock skew) or an hour ago. */
  private static final int MAX_AHEAD = 300;

  private static final int MAX_AGE = 3600;

  /** What a query's cookie is worth; anything but {@link #NEW} and {@link #VALID} is bad. */
  public enum Status {
    /** a client cookie alone: the client has no server cookie yet */
    NEW,
    /**
     * a server cookie this server (or one sharing a secret) made for this client in the last hour
     */
    VALID,
    /** a server cookie of another length than RFC 9018's 16 octets */
    BAD_SIZE,
    /** a server cookie made more than an hour ago, or too far ahead */
    BAD_TIME,
    /** a server cookie no secret here made for this client cookie and address */
    NO_MATCH;

    public boolean isBad() {
      return this != NEW && this != VALID;
    }
  }

  private final List<byte[]> secrets;

  /**
   * @param secrets 16 octets each; the first makes cookies, every one is accepted (a secret being
   *     rolled over, as BIND's further {@code cookie-secret}s)
   */
  public ServerCookies(List<byte[]> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one cookie secret is needed");
    }
    List<byte[]> copies = new ArrayList<>();
    for (byte[] secret : secrets) {
      if (secret.length != SipHash24.KEY_LENGTH) {
        throw new IllegalArgumentException(
            "a cookie secret has 128 bits (32 hex digits), got " + secret.length * 8);
      }
      copies.add(secret.clone());
    }
    this.secrets = List.copyOf(copies);
  }

  /**
   * The COOKIE option's data for a response to {@code client}: its 8-octet client cookie, then a
   * fresh server cookie for the time {@code nowSeconds} (seconds since the epoch).
   */
  public byte[] mint(byte[] clientCookie, InetAddress client, long nowSeconds) {
    return compute(clientCookie, (int) nowSeconds, client, secrets.get(0));
  }

  /**
   * What the cookie a query carried is worth.
   *
   * @param clientCookie its 8 octets
   * @param serverCookie the octets after it, empty when the client sent its cookie alone
   */
  public Status check(
      byte[] clientCookie, byte[] serverCookie, InetAddress client, long nowSeconds) {
    if (serverCookie.length == 0) {
      return Status.NEW;
    }
    if (serverCookie.length != SERVER_COOKIE_LENGTH) {
      return Status.BAD_SIZE;
    }
    int when =
        (serverCookie[4] & 0xFF) << 24
            | (serverCookie[5] & 0xFF) << 16
            | (serverCookie[6] & 0xFF) << 8
            | serverCookie[7] & 0xFF;
    // Serial number arithmetic on 32 bits (RFC 1982), as BIND compares them.
    int age = (int) nowSeconds - when;
    if (age < -MAX_AHEAD || age > MAX_AGE) {
      return Status.BAD_TIME;
    }
    byte[] presented = new byte[OPTION_LENGTH];
    System.arraycopy(clientCookie, 0, presented, 0, CLIENT_COOKIE_LENGTH);
    System.arraycopy(serverCookie, 0, presented, CLIENT_COOKIE_LENGTH, SERVER_COOKIE_LENGTH);
    for (byte[] secret : secrets) {
      if (MessageDigest.isEqual(presented, compute(clientCookie, when, client, secret))) {
        return Status.VALID;
      }
    }
    return Status.NO_MATCH;
  }

  /** Client cookie, version, reserved, time, hash: what RFC 9018 §4 hashes, and the hash. */
  private static byte[] compute(byte[] clientCookie, int when, InetAddress client, byte[] secret) {
    byte[] address = client.getAddress();
    byte[] input = new byte[16 + address.length];
    System.arraycopy(clientCookie, 0, input, 0, CLIENT_COOKIE_LENGTH);
    input[8] = VERSION;
    input[12] = (byte) (when >>> 24);
    input[13] = (byte) (when >>> 16);
    input[14] = (byte) (when >>> 8);
    input[15] = (byte) when;
    System.arraycopy(address, 0, input, 16, address.length);
    byte[] cookie = new byte[OPTION_LENGTH];
    System.arraycopy(input, 0, cookie, 0, 16);
    SipHash24.hash(secret, input, input.length, cookie, 16);
    return cookie;
  }
}
