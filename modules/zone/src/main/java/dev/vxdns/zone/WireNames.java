package dev.vxdns.zone;

import dev.vxdns.zone.text.NameText;
import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * Names in uncompressed wire form inside byte arrays, compared as DNS compares names: ASCII letters
 * without regard to case (RFC 4343). Folding every octet is safe because a label's length octet is
 * at most 63, below 'A'.
 */
final class WireNames {
  private WireNames() {}

  /** The length of the wire name starting at {@code offset}, its root label included. */
  static int length(byte[] bytes, int offset) {
    int at = offset;
    while (bytes[at] != 0) {
      at += 1 + bytes[at];
    }
    return at + 1 - offset;
  }

  /**
   * How many labels the name at {@code offset} has, the root label included (as dnsjava counts).
   */
  static int labels(byte[] bytes, int offset) {
    int labels = 1;
    for (int at = offset; bytes[at] != 0; at += 1 + bytes[at]) {
      labels++;
    }
    return labels;
  }

  /** Where the name at {@code offset} without its first {@code skip} labels starts. */
  static int suffix(byte[] bytes, int offset, int skip) {
    int at = offset;
    for (int i = 0; i < skip; i++) {
      at += 1 + bytes[at];
    }
    return at;
  }

  static int hash(byte[] bytes, int offset, int length) {
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + fold(bytes[i]);
    }
    return hash ^ (hash >>> 16);
  }

  /**
   * Whether the {@code length} octets at {@code a[aOffset]} and {@code b[bOffset]} are one name.
   */
  static boolean equal(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
    for (int i = 0; i < length; i++) {
      if (a[aOffset + i] != b[bOffset + i] && fold(a[aOffset + i]) != fold(b[bOffset + i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether the name at {@code name[offset]} is strictly below {@code parent} (a whole array). */
  static boolean strictlyBelow(byte[] name, int offset, byte[] parent) {
    for (int at = offset; name[at] != 0; ) {
      at += 1 + name[at];
      if (length(name, at) == parent.length && equal(name, at, parent, 0, parent.length)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the wire names {@code a} and {@code b} (whole arrays) are one name, case aside. */
  static boolean same(byte[] a, byte[] b) {
    return NameText.same(a, b);
  }

  /** Whether the name {@code name} (a whole array) is {@code parent} or below it. */
  static boolean atOrBelow(byte[] name, byte[] parent) {
    return NameText.atOrBelow(name, parent);
  }

  /** The dnsjava name of the {@code length}-octet wire name at {@code bytes[offset]}. */
  static Name name(byte[] bytes, int offset, int length) {
    try {
      return new Name(Arrays.copyOfRange(bytes, offset, offset + length));
    } catch (IOException e) {
      throw new IllegalStateException("a packed wire name is broken", e);
    }
  }

  /** An octet of a wire name in lower case (ASCII letters only; length octets are below 'A'). */
  static byte lowerCase(byte b) {
    return (byte) fold(b);
  }

  private static int fold(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }
}
