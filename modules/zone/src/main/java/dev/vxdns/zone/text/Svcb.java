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
    for (Map.Entry<Integer, byte[]> param : params.entrySet()) {
      f.out.writeU16(param.getKey());
      f.out.writeU16(param.getValue().length);
      f.out.writeByteArray(param.getValue());
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

  /** A comma-separated list, {@code \,} (and other escapes) inside an element. */
  private static java.util.List<byte[]> commaList(Fields f, Token t) throws MasterFileException {
    byte[] raw = f.text(new Token(t.text().replace("\\,", "\\044"), false, t.line()));
    java.util.List<byte[]> items = new java.util.ArrayList<>();
    ByteArrayOutputStream item = new ByteArrayOutputStream();
    // commas written as \044 (or \,) are data; bare commas separate
    String s = t.text();
    int rawIndex = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i += Character.isDigit(s.charAt(i + 1)) ? 3 : 1;
        item.write(raw[rawIndex++]);
      } else if (c == ',') {
        items.add(item.toByteArray());
        item.reset();
        rawIndex++;
      } else {
        item.write(raw[rawIndex++]);
      }
    }
    items.add(item.toByteArray());
    return items;
  }
}
