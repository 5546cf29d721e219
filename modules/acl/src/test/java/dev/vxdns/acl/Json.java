package dev.vxdns.acl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON reader for test tables, producing what a JSON decoder hands the config module
 * (String, List, Map, Long/Double, Boolean, null). Single quotes are accepted as double quotes so
 * the tables stay readable inside Java strings: {@code "[{'!': ['!10/8', 'any']}, 'key example']"}.
 */
final class Json {
  private final String s;
  private int pos;

  private Json(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    Json j = new Json(text);
    Object v = j.value();
    j.skipSpace();
    if (j.pos != text.length()) {
      throw new IllegalArgumentException("trailing text at " + j.pos + " in " + text);
    }
    return v;
  }

  static List<?> list(String text) {
    return (List<?>) parse(text);
  }

  @SuppressWarnings("unchecked")
  static Map<String, List<?>> acls(String text) {
    return (Map<String, List<?>>) (Map<String, ?>) parse(text);
  }

  private Object value() {
    skipSpace();
    char c = s.charAt(pos);
    if (c == '[') {
      pos++;
      List<Object> out = new ArrayList<>();
      skipSpace();
      if (s.charAt(pos) == ']') {
        pos++;
        return out;
      }
      while (true) {
        out.add(value());
        skipSpace();
        char d = s.charAt(pos++);
        if (d == ']') {
          return out;
        }
        expect(d, ',');
      }
    }
    if (c == '{') {
      pos++;
      Map<String, Object> out = new LinkedHashMap<>();
      skipSpace();
      if (s.charAt(pos) == '}') {
        pos++;
        return out;
      }
      while (true) {
        skipSpace();
        String key = (String) value();
        skipSpace();
        expect(s.charAt(pos++), ':');
        out.put(key, value());
        skipSpace();
        char d = s.charAt(pos++);
        if (d == '}') {
          return out;
        }
        expect(d, ',');
      }
    }
    if (c == '"' || c == '\'') {
      int end = s.indexOf(c, pos + 1);
      String str = s.substring(pos + 1, end);
      pos = end + 1;
      return str;
    }
    int start = pos;
    while (pos < s.length() && ",]} \n".indexOf(s.charAt(pos)) < 0) {
      pos++;
    }
    String word = s.substring(start, pos);
    switch (word) {
      case "null":
        return null;
      case "true":
        return Boolean.TRUE;
      case "false":
        return Boolean.FALSE;
      default:
        return word.contains(".") ? (Object) Double.valueOf(word) : (Object) Long.valueOf(word);
    }
  }

  private void expect(char got, char want) {
    if (got != want) {
      throw new IllegalArgumentException("expected '" + want + "' at " + (pos - 1) + " in " + s);
    }
  }

  private void skipSpace() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }
}
