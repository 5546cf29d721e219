package dev.vxdns.zone.text;

import java.io.IOException;
import java.util.Arrays;
import org.xbill.DNS.Name;

/**
 * A domain name in presentation form made straight into wire form, as dnsjava's {@code
 * Name.fromString} reads it (same names, same problems) but without a {@code Name} object: a zone
 * load reads millions of names and keeps only their octets.
 */
public final class NameText {
  private static final int MAX_NAME = 255;
  private static final int MAX_LABEL = 63;

  /** Why a name cannot be read: one of BIND's words for it. */
  static final class Problem extends Exception {
    Problem(String problem) {
      super(problem, null, false, false);
    }
  }

  private NameText() {}

  /**
   * The wire form of {@code text}, relative to the absolute wire name {@code origin} unless it ends
   * in an unescaped dot; {@code @} is the origin. Case is kept.
   */
  static byte[] parse(String text, byte[] origin) throws Problem {
    if (text.equals("@")) {
      return origin;
    }
    if (text.equals(".")) {
      return new byte[1];
    }
    if (text.isEmpty()) {
      throw new Problem("empty label");
    }
    // The text gives at most one octet per character plus the first label's length octet: a
    // relative name without escapes fills this exactly, and is returned without a copy.
    byte[] out = new byte[text.length() + 1 + origin.length];
    int labelStart = 0; // where the current label's length octet goes
    int at = 1;
    boolean inLabel = false;
    for (int i = 0; i < text.length(); i++) {
      int c = text.charAt(i) & 0xff;
      if (c == '\\') {
        if (++i == text.length()) {
          throw new Problem("bad escape");
        }
        c = text.charAt(i) & 0xff;
        if (c >= '0' && c <= '9') {
          if (i + 2 >= text.length()
              || !isDigit(text.charAt(i + 1))
              || !isDigit(text.charAt(i + 2))) {
            throw new Problem("bad escape");
          }
          c = (c - '0') * 100 + (text.charAt(i + 1) - '0') * 10 + (text.charAt(i + 2) - '0');
          if (c > 255) {
            throw new Problem("bad escape");
          }
          i += 2;
        }
      } else if (c == '.') {
        if (!inLabel) {
          throw new Problem("empty label");
        }
        out[labelStart] = (byte) (at - labelStart - 1);
        labelStart = at++;
        inLabel = false;
        if (labelStart >= MAX_NAME) {
          throw new Problem("name too long");
        }
        continue;
      }
      if (at - labelStart > MAX_LABEL) {
        throw new Problem("label too long");
      }
      out[at++] = (byte) c;
      inLabel = true;
    }
    int length;
    if (inLabel) {
      out[labelStart] = (byte) (at - labelStart - 1);
      System.arraycopy(origin, 0, out, at, origin.length);
      length = at + origin.length;
    } else {
      out[labelStart] = 0; // a final dot: absolute
      length = labelStart + 1;
    }
    if (length > MAX_NAME) {
      throw new Problem("name too long");
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether two wire names (whole arrays) are one name, ASCII case aside. */
  public static boolean same(byte[] a, byte[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i] && lowerCase(a[i]) != lowerCase(b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the wire name {@code name} is {@code parent} or below it (whole arrays, case aside).
   */
  public static boolean atOrBelow(byte[] name, byte[] parent) {
    int at = 0;
    while (name.length - at > parent.length) {
      at += 1 + name[at];
    }
    if (name.length - at != parent.length) {
      return false;
    }
    for (int i = 0; i < parent.length; i++) {
      if (name[at + i] != parent[i] && lowerCase(name[at + i]) != lowerCase(parent[i])) {
        return false;
      }
    }
    return true;
  }

  /** The dnsjava name of a wire name this class made. */
  static Name toName(byte[] wire) {
    try {
      return new Name(wire);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a wire name", e);
    }
  }

  private static int lowerCase(byte b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }
}
