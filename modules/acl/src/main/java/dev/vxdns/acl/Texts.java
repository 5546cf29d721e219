package dev.vxdns.acl;

import java.util.List;
import java.util.Map;

/**
 * How elements are shown in decisions and error messages: strings as written, nested lists in
 * BIND's syntax ({@code { 10/8; !192.0.2.1; }}, {@code !{ ... }}) because that is what a BIND user
 * recognises, anything else in JSON. Long nested lists are cut (a 100k-prefix list must not end up
 * in every log line).
 */
final class Texts {
  static final int LIMIT = 160;

  private Texts() {}

  static String describe(Object element) {
    StringBuilder sb = new StringBuilder();
    append(sb, element);
    if (sb.length() > LIMIT) {
      sb.setLength(LIMIT);
      sb.append("...");
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object e) {
    if (sb.length() > LIMIT) {
      return;
    }
    if (e instanceof String s) {
      sb.append(s);
    } else if (e instanceof List<?> list) {
      sb.append('{');
      for (Object x : list) {
        if (sb.length() > LIMIT) {
          return;
        }
        sb.append(' ');
        append(sb, x);
        sb.append(';');
      }
      sb.append(" }");
    } else if (e instanceof Map<?, ?> m && m.size() == 1 && m.get("!") instanceof List<?> inner) {
      sb.append('!');
      append(sb, inner);
    } else {
      appendJson(sb, e);
    }
  }

  private static void appendJson(StringBuilder sb, Object e) {
    if (sb.length() > LIMIT) {
      return;
    }
    if (e instanceof String s) {
      sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    } else if (e instanceof List<?> list) {
      sb.append('[');
      String sep = "";
      for (Object x : list) {
        sb.append(sep);
        appendJson(sb, x);
        sep = ", ";
      }
      sb.append(']');
    } else if (e instanceof Map<?, ?> m) {
      sb.append('{');
      String sep = "";
      for (Map.Entry<?, ?> x : m.entrySet()) {
        sb.append(sep);
        appendJson(sb, String.valueOf(x.getKey()));
        sb.append(": ");
        appendJson(sb, x.getValue());
        sep = ", ";
      }
      sb.append('}');
    } else {
      sb.append(e);
    }
  }
}
