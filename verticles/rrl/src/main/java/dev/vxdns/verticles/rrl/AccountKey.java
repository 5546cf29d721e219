package dev.vxdns.verticles.rrl;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * What one account is kept for: the client's prefix (its address masked to {@code
 * ipv4-prefix-length} or {@code ipv6-prefix-length}), the kind of response, and the name and type
 * BIND keys that kind on. dnsjava's {@link Name} compares and hashes without case, so names that
 * differ only in case share an account, as in BIND.
 *
 * @param high the first 64 bits of the masked address (an IPv4 address in the low 32)
 * @param low the last 64 bits of a masked IPv6 address; 0 for IPv4
 * @param name the account's name, null for errors and the all-per-second account
 * @param type the qtype for answers, else 0 (referrals and NODATA of any type are one account)
 */
record AccountKey(
    boolean ipv6, long high, long low, ResponseKind kind, Name name, int type, int dclass) {

  static AccountKey of(
      InetAddress client,
      int ipv4PrefixLength,
      int ipv6PrefixLength,
      ResponseKind kind,
      Name name,
      int type,
      int dclass) {
    byte[] address = client.getAddress();
    if (client instanceof Inet4Address) {
      long bits = toLong(address, 0, 4);
      return new AccountKey(false, bits & mask(32, ipv4PrefixLength), 0, kind, name, type, dclass);
    }
    long high = toLong(address, 0, 8) & mask(64, ipv6PrefixLength);
    long low = toLong(address, 8, 8) & mask(64, ipv6PrefixLength - 64);
    return new AccountKey(true, high, low, kind, name, type, dclass);
  }

  /** The prefix alone: the key of the {@code all-per-second} account. */
  AccountKey allOfPrefix() {
    return new AccountKey(ipv6, high, low, ResponseKind.ALL, null, 0, 0);
  }

  private static long toLong(byte[] bytes, int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  /** The top {@code prefix} bits of a {@code width}-bit field set (prefix clamped to 0..width). */
  private static long mask(int width, int prefix) {
    int bits = Math.max(0, Math.min(width, prefix));
    if (bits == 0) {
      return 0;
    }
    long ones = width == 64 ? -1L : (1L << width) - 1;
    return ones & (-1L << (width - bits));
  }
}
