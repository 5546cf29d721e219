package dev.vxdns.zone.text;

import dev.vxdns.zone.text.MasterLexer.Token;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.DNSOutput;

/** SVCB and HTTPS (RFC 9460) as BIND's svcb_64.c reads them: parameters sorted by key. */
final class Svcb {

  private Svcb() {}

  private static final Map<String, Integer> KEYS =
      Map.of(
          "mandatory", 0,
          "alpn", 1,
          "no-default-alpn", 2,
          "port", 3,
          "ipv4hint", 4,
          "ech", 5,
          "ipv6hint", 6,
          "dohpath", 7);

  static void parse(Fields f) throws MasterFileException {
    f.u16();
    f.writeName();
    TreeMap<Integer, byte[]> params = new TreeMap<>();
    while (f.more()) {
      Token t = f.token();
      String text = t.text();
      int eq = text.indexOf('=');
      String keyName = eq < 0 ? text : text.substring(0, eq);
      String value = eq < 0 ? null : text.substring(eq + 1);
      if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      int key = key(f, t, keyName);
      if (params.containsKey(key)) {
        throw f.error(t, "duplicate key");
      }
      params.put(key, value(f, t, key, value == null ? "" : value));
    }
    check(f, params);
    for (Map.Entry<Integer, byte[]> param : params.entrySet()) {
      f.out.writeU16(param.getKey());
      f.out.writeU16(param.getValue().length);
      f.out.writeByteArray(param.getValue());
    }
  }

  /** BIND's svcb_validate and svcsortkeys: each value's form, mandatory, no-default-alpn. */
  private static void check(Fields f, TreeMap<Integer, byte[]> params) throws MasterFileException {
    for (Map.Entry<Integer, byte[]> param : params.entrySet()) {
      if (!valid(param.getKey(), param.getValue())) {
        throw f.errorAtEnd("FORMERR");
      }
    }
    byte[] mandatory = params.get(0);
    if (mandatory != null) {
      for (int i = 0; i < mandatory.length; i += 2) {
        int key = (mandatory[i] & 0xff) << 8 | (mandatory[i + 1] & 0xff);
        if (key == 0 || !params.containsKey(key)) {
          throw f.errorAtEnd("disallowed (by application policy)");
        }
      }
    }
    if (params.containsKey(2) && !params.containsKey(1)) {
      throw f.errorAtEnd("disallowed (by application policy)");
    }
  }

  private static boolean valid(int key, byte[] value) {
    return switch (key) {
      case 0 -> value.length > 0 && value.length % 2 == 0 && ascending(value);
      case 1 -> {
        int i = 0;
        while (i < value.length) {
          int length = value[i] & 0xff;
          if (length == 0 || i + 1 + length > value.length) {
            yield false;
          }
          i += 1 + length;
        }
        yield value.length > 0;
      }
      case 2 -> value.length == 0;
      case 3 -> value.length == 2;
      case 4 -> value.length > 0 && value.length % 4 == 0;
      case 6 -> value.length > 0 && value.length % 16 == 0;
      case 7 -> dohPath(value);
      default -> true;
    };
  }

  private static boolean ascending(byte[] keys) {
    for (int i = 2; i < keys.length; i += 2) {
      int previous = (keys[i - 2] & 0xff) << 8 | (keys[i - 1] & 0xff);
      if (((keys[i] & 0xff) << 8 | (keys[i + 1] & 0xff)) <= previous) {
        return false;
      }
    }
    return true;
  }

  /**
   * A relative URI template with a {@code dns} variable (RFC 9461), checked as BIND's
   * validate_dohpath does.
   */
  static boolean dohPath(byte[] path) {
    if (path.length == 0 || path[0] != '/' || !utf8(path)) {
      return false;
    }
    final int inPath = 0;
    final int variable = 1;
    final int prefix = 2;
    final int explode = 3;
    int state = inPath;
    int percent = 0; // hex digits still expected after '%'
    int percentReturn = inPath;
    boolean dns = false;
    boolean wasOperator = false;
    int v = 0;
    int n = 0;
    int p = 0;
    while (p < path.length) {
      char c = (char) (path[p++] & 0xff);
      if (percent > 0) {
        if (Character.digit(c, 16) < 0) {
          return false;
        }
        if (--percent == 0) {
          state = percentReturn;
        }
        continue;
      }
      switch (state) {
        case inPath -> {
          if (c == '{') {
            state = variable;
            wasOperator = false;
            v = p;
          } else if (c == '%') {
            percent = 2;
            percentReturn = inPath;
          }
        }
        case variable -> {
          switch (c) {
            case '+', '#', '.', '/', ';', '?', '&' -> {
              if (p != v + 1 || wasOperator) {
                return false;
              }
              wasOperator = true;
              v = p;
            }
            case '=', '!', '@', '|' -> {
              return false;
            }
            case '*', ':', '}', ',' -> {
              if (p == v + 1) {
                return false;
              }
              if (p - v == 4 && path[v] == 'd' && path[v + 1] == 'n' && path[v + 2] == 's') {
                dns = true;
              }
              if (c == ':') {
                state = prefix;
                n = p;
              } else if (c == '}') {
                state = inPath;
              } else if (c == '*') {
                state = explode;
              } else {
                wasOperator = false;
                v = p;
              }
            }
            case '%' -> {
              percent = 2;
              percentReturn = variable;
            }
            default -> {
              if (c != '_' && !Character.isLetterOrDigit(c) || c > 127) {
                return false;
              }
            }
          }
        }
        case explode -> {
          if (c == ',') {
            state = variable;
            wasOperator = false;
            v = p;
          } else if (c == '}') {
            state = inPath;
          } else {
            return false;
          }
        }
        default -> { // prefix
          if (c < '0' || c > '9') {
            if (p == n + 1 || p - n > 5 || path[n] == '0') {
              return false;
            }
            if (c == ',') {
              state = variable;
              wasOperator = false;
            } else if (c == '}') {
              state = inPath;
            } else {
              return false;
            }
          }
        }
      }
    }
    return state == inPath && percent == 0 && dns;
  }

  private static boolean utf8(byte[] bytes) {
    try {
      java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static int key(Fields f, Token t, String name) throws MasterFileException {
    Integer known = KEYS.get(name);
    if (known != null) {
      return known;
    }
    if (name.startsWith("key") && Fields.isDigits(name.substring(3)) && name.length() <= 8) {
      int value = Integer.parseInt(name.substring(3));
      if (value <= 0xffff && !(name.length() > 4 && name.charAt(3) == '0')) {
        return value;
      }
    }
    throw f.error(t, "syntax error");
  }

  private static byte[] value(Fields f, Token t, int key, String value) throws MasterFileException {
    Token valueToken = new Token(value, false, t.line());
    DNSOutput out = new DNSOutput();
    switch (key) {
      case 0 -> {
        if (value.isEmpty()) {
          throw f.error(t, "syntax error");
        }
        java.util.TreeSet<Integer> keys = new java.util.TreeSet<>();
        for (String name : value.split(",", -1)) {
          if (!keys.add(key(f, t, name))) {
            throw f.error(t, "duplicate key");
          }
        }
        keys.forEach(out::writeU16);
      }
      case 1 -> {
        for (byte[] id : commaList(f, valueToken)) {
          if (id.length == 0 || id.length > 255) {
            throw f.error(t, "syntax error");
          }
          out.writeCountedString(id);
        }
      }
      case 2 -> {
        if (!value.isEmpty()) {
          throw f.error(t, "syntax error");
        }
      }
      case 3 -> {
        if (!Fields.isDigits(value) || value.length() > 5 || Integer.parseInt(value) > 0xffff) {
          throw f.error(t, "syntax error");
        }
        out.writeU16(Integer.parseInt(value));
      }
      case 4, 6 -> {
        for (String address : value.split(",", -1)) {
          byte[] bytes = key == 4 ? Addresses.ipv4(address) : Addresses.ipv6(address);
          if (bytes == null) {
            throw f.error(t, "syntax error");
          }
          out.writeByteArray(bytes);
        }
      }
      case 5 -> out.writeByteArray(f.base64(t, value));
      default -> out.writeByteArray(f.text(valueToken));
    }
    return out.toByteArray();
  }

  /**
   * A comma-separated list (RFC 9460 appendix A.1): the value is first read as a character-string
   * (escapes resolved), then split at commas, where {@code \,} is a comma and {@code \\} a
   * backslash; an empty element is an error.
   */
  private static java.util.List<byte[]> commaList(Fields f, Token t) throws MasterFileException {
    byte[] value = f.text(t);
    java.util.List<byte[]> items = new java.util.ArrayList<>();
    ByteArrayOutputStream item = new ByteArrayOutputStream();
    for (int i = 0; i < value.length; i++) {
      byte b = value[i];
      if (b == '\\' && i + 1 < value.length) {
        item.write(value[++i]);
      } else if (b == ',') {
        if (item.size() == 0) {
          throw f.error(t, "syntax error");
        }
        items.add(item.toByteArray());
        item.reset();
      } else {
        item.write(b);
      }
    }
    if (item.size() == 0) {
      throw f.error(t, "syntax error");
    }
    items.add(item.toByteArray());
    return items;
  }
}
