package dev.vxdns.zone.text;

import dev.vxdns.zone.text.MasterLexer.Token;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.DNSOutput;

/**
 * The fields of one record's RDATA, read left to right the way BIND's fromtext functions read their
 * tokens, each written to the wire form as it is read. Errors name the token, as BIND's {@code near
 * 'TOKEN': problem}.
 */
final class Fields {

  private final List<Token> tokens;
  private int next;
  private final byte[] origin; // wire
  private final String file;
  private final int line;
  final DNSOutput out;

  /** The fields from {@code tokens[from]}, written to {@code out} (emptied first). */
  Fields(List<Token> tokens, int from, byte[] origin, String file, int line, DNSOutput out) {
    out.jump(0);
    this.out = out;
    this.tokens = tokens;
    this.next = from;
    this.origin = origin;
    this.file = file;
    this.line = line;
  }

  boolean more() {
    return next < tokens.size();
  }

  Token peek() {
    return tokens.get(next);
  }

  Token token() throws MasterFileException {
    if (!more()) {
      throw new MasterFileException(file, lastLine(), "unexpected end of input");
    }
    return tokens.get(next++);
  }

  private int lastLine() {
    return tokens.isEmpty() ? line : tokens.get(tokens.size() - 1).line();
  }

  /** An unquoted token's text. */
  String string() throws MasterFileException {
    Token t = token();
    if (t.quoted()) {
      throw error(t, "unexpected token");
    }
    return t.text();
  }

  MasterFileException error(Token t, String problem) {
    return error(file, t, problem);
  }

  /** As BIND words a bad token: {@code file:line: near 'TOKEN': problem}. */
  static MasterFileException error(String file, Token t, String problem) {
    return new MasterFileException(file, t.line(), "near '" + t.text() + "': " + problem);
  }

  MasterFileException errorAtEnd(String problem) {
    return new MasterFileException(file, lastLine(), problem);
  }

  /** A decimal number up to {@code max}, as BIND's number tokens. */
  long number(long max) throws MasterFileException {
    Token t = token();
    long value = parseNumber(t);
    if (value > max) {
      throw error(t, "out of range");
    }
    return value;
  }

  long parseNumber(Token t) throws MasterFileException {
    String s = t.text();
    if (t.quoted() || s.isEmpty() || !isDigits(s)) {
      throw error(t, "not a valid number");
    }
    if (s.length() > 10 || Long.parseLong(s) > 0xffffffffL) {
      throw error(t, "out of range");
    }
    return Long.parseLong(s);
  }

  static boolean isDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  void u8() throws MasterFileException {
    out.writeU8((int) number(0xff));
  }

  void u16() throws MasterFileException {
    out.writeU16((int) number(0xffff));
  }

  void u32() throws MasterFileException {
    out.writeU32(number(0xffffffffL));
  }

  /** A number or a mnemonic from {@code table} (case-insensitive), up to {@code max}. */
  int mnemonic(Map<String, Integer> table, int max, String unknown) throws MasterFileException {
    Token t = token();
    if (!t.quoted() && isDigits(t.text())) {
      long value = parseNumber(t);
      if (value > max) {
        throw error(t, "out of range");
      }
      return (int) value;
    }
    Integer value = table.get(t.text().toUpperCase(Locale.ROOT));
    if (value == null) {
      throw error(t, unknown);
    }
    return value;
  }

  /** An RR type mnemonic, {@code TYPEnnn} or (where BIND allows it) a plain number. */
  int rrType(boolean numberAllowed) throws MasterFileException {
    Token t = token();
    int type = RrTypes.type(t.text());
    if (type < 0 && numberAllowed && isDigits(t.text())) {
      if (t.text().length() > 5 || Integer.parseInt(t.text()) > 0xffff) {
        throw error(t, "out of range");
      }
      type = Integer.parseInt(t.text());
    }
    if (type < 0 || t.quoted()) {
      throw error(t, "unknown class/type");
    }
    return type;
  }

  /** A domain name's wire form, relative to the origin unless absolute. */
  byte[] name() throws MasterFileException {
    return name(token());
  }

  byte[] name(Token t) throws MasterFileException {
    if (t.quoted()) {
      throw error(t, "unexpected token");
    }
    return parseName(t, origin, file);
  }

  void writeName() throws MasterFileException {
    out.writeByteArray(name());
  }

  /**
   * The wire form of a domain name token of {@code file}, relative to {@code origin} (wire) unless
   * it ends in a dot.
   */
  static byte[] parseName(Token t, byte[] origin, String file) throws MasterFileException {
    try {
      return NameText.parse(t.text(), origin);
    } catch (NameText.Problem e) {
      throw error(file, t, e.getMessage());
    }
  }

  /** A character-string: at most 255 octets, escapes resolved, quoted or not. */
  void characterString() throws MasterFileException {
    Token t = token();
    writeCharacterString(t, text(t));
  }

  void writeCharacterString(Token t, byte[] bytes) throws MasterFileException {
    if (bytes.length > 255) {
      throw error(t, "text too long");
    }
    out.writeCountedString(bytes);
  }

  /** A token's octets with {@code \DDD} and {@code \X} escapes resolved. */
  byte[] text(Token t) throws MasterFileException {
    String s = t.text();
    if (s.indexOf('\\') < 0) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        bytes.write(c);
        continue;
      }
      if (++i == s.length()) {
        throw error(t, "syntax error");
      }
      char e = s.charAt(i);
      if (e >= '0' && e <= '9') {
        if (i + 2 >= s.length()) {
          throw error(t, "syntax error");
        }
        char d2 = s.charAt(i + 1);
        char d3 = s.charAt(i + 2);
        if (d2 < '0' || d2 > '9' || d3 < '0' || d3 > '9') {
          throw error(t, "syntax error");
        }
        int value = (e - '0') * 100 + (d2 - '0') * 10 + (d3 - '0');
        if (value > 255) {
          throw error(t, "syntax error");
        }
        bytes.write(value);
        i += 2;
      } else {
        bytes.write(e);
      }
    }
    return bytes.toByteArray();
  }

  /** Base64 over the remaining tokens. */
  void base64Rest(boolean oneOrMore) throws MasterFileException {
    StringBuilder text = new StringBuilder();
    Token first = more() ? peek() : null;
    while (more()) {
      text.append(string());
    }
    if (text.length() == 0) {
      if (oneOrMore) {
        throw errorAtEnd("unexpected end of input");
      }
      return;
    }
    out.writeByteArray(base64(first, text.toString()));
  }

  byte[] base64(Token t, String text) throws MasterFileException {
    if (text.length() % 4 != 0) {
      throw error(t, "bad base64 encoding");
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw error(t, "bad base64 encoding");
    }
  }

  /**
   * Hex over the following tokens: exactly {@code length} octets when it is positive, else all
   * remaining tokens ({@code oneOrMore}: at least one octet).
   */
  void hex(int length, boolean oneOrMore) throws MasterFileException {
    StringBuilder digits = new StringBuilder();
    Token first = more() ? peek() : null;
    while (more() && (length <= 0 || digits.length() < 2 * length)) {
      digits.append(string());
    }
    if (digits.length() == 0 && (oneOrMore || length > 0)) {
      throw errorAtEnd("unexpected end of input");
    }
    if (length > 0 && digits.length() != 2 * length) {
      throw digits.length() < 2 * length
          ? errorAtEnd("unexpected end of input")
          : error(first, "bad hex encoding");
    }
    out.writeByteArray(hex(first, digits.toString()));
  }

  byte[] hex(Token t, String digits) throws MasterFileException {
    if (digits.length() % 2 != 0) {
      throw error(t, "bad hex encoding");
    }
    byte[] bytes = new byte[digits.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      int hi = Character.digit(digits.charAt(2 * i), 16);
      int lo = Character.digit(digits.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw error(t, "bad hex encoding");
      }
      bytes[i] = (byte) (hi << 4 | lo);
    }
    return bytes;
  }

  /** An IPv4 address as inet_pton reads it (four decimal octets). */
  byte[] ipv4(Token t) throws MasterFileException {
    byte[] address = Addresses.ipv4(t.text());
    if (address == null || t.quoted()) {
      throw error(t, "bad dotted quad");
    }
    return address;
  }

  byte[] ipv6(Token t) throws MasterFileException {
    byte[] address = Addresses.ipv6(t.text());
    if (address == null || t.quoted()) {
      throw error(t, "bad IPv6 address");
    }
    return address;
  }

  /** A time: YYYYMMDDHHMMSS, or (when BIND allows it) seconds since the epoch. */
  long time(boolean numberAllowed) throws MasterFileException {
    Token t = token();
    String s = t.text();
    if (numberAllowed && s.length() <= 10 && isDigits(s)) {
      long value = Long.parseLong(s);
      if (value > 0xffffffffL) {
        throw error(t, "out of range");
      }
      return value;
    }
    if (s.length() != 14 || !isDigits(s)) {
      throw error(t, "syntax error");
    }
    try {
      LocalDateTime time =
          LocalDateTime.of(
              Integer.parseInt(s.substring(0, 4)),
              Integer.parseInt(s.substring(4, 6)),
              Integer.parseInt(s.substring(6, 8)),
              Integer.parseInt(s.substring(8, 10)),
              Integer.parseInt(s.substring(10, 12)),
              Integer.parseInt(s.substring(12, 14)));
      return time.toEpochSecond(ZoneOffset.UTC) & 0xffffffffL;
    } catch (DateTimeException e) {
      throw error(t, "bad date");
    }
  }

  /** A type bitmap (NSEC, NSEC3, CSYNC) from the remaining tokens, in RFC 4034 windows. */
  void typeBitmap(boolean allowEmpty) throws MasterFileException {
    boolean[] present = new boolean[65536];
    int max = -1;
    while (more()) {
      int type = rrType(false);
      present[type] = true;
      max = Math.max(max, type);
    }
    if (max < 0) {
      if (!allowEmpty) {
        throw errorAtEnd("FORMERR");
      }
      return;
    }
    for (int window = 0; window <= max >> 8; window++) {
      int last = -1;
      for (int octet = 0; octet < 32; octet++) {
        for (int bit = 0; bit < 8; bit++) {
          if (present[(window << 8) | (octet << 3) | bit]) {
            last = octet;
          }
        }
      }
      if (last < 0) {
        continue;
      }
      out.writeU8(window);
      out.writeU8(last + 1);
      for (int octet = 0; octet <= last; octet++) {
        int value = 0;
        for (int bit = 0; bit < 8; bit++) {
          if (present[(window << 8) | (octet << 3) | bit]) {
            value |= 0x80 >> bit;
          }
        }
        out.writeU8(value);
      }
    }
  }
}
