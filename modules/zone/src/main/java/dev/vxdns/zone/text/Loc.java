package dev.vxdns.zone.text;

import dev.vxdns.zone.text.MasterLexer.Token;

/** LOC (RFC 1876) as BIND's loc_29.c reads it. */
final class Loc {

  private Loc() {}

  static void parse(Fields f) throws MasterFileException {
    long latitude = coordinate(f, 'S', 'N', 90);
    long longitude = coordinate(f, 'W', 'E', 180);
    Token t = f.token();
    long altitude;
    if (t.text().startsWith("-")) {
      long cm = decimal(f, t, t.text().substring(1), 100000, 2, 'm');
      if (cm > 10000000L) {
        throw f.error(t, "out of range");
      }
      altitude = 10000000L - cm;
    } else {
      long cm = decimal(f, t, t.text(), 42849672, 2, 'm');
      if (cm > 4284967295L) {
        throw f.error(t, "out of range");
      }
      altitude = 10000000L + cm;
    }
    int size = 0x12;
    int horizontal = 0x16;
    int vertical = 0x13;
    if (f.more()) {
      size = precision(f, f.token());
      if (f.more()) {
        horizontal = precision(f, f.token());
        if (f.more()) {
          vertical = precision(f, f.token());
        }
      }
    }
    f.out.writeU8(0);
    f.out.writeU8(size);
    f.out.writeU8(horizontal);
    f.out.writeU8(vertical);
    f.out.writeU32(latitude & 0xffffffffL);
    f.out.writeU32(longitude & 0xffffffffL);
    f.out.writeU32(altitude & 0xffffffffL);
  }

  private static long coordinate(Fields f, char negative, char positive, long maxDegrees)
      throws MasterFileException {
    Token degreesToken = f.peek();
    long d = f.number(0xffffffffL);
    long m = 0;
    long s = 0;
    check(f, degreesToken, d, m, s, maxDegrees);
    char direction = direction(f, negative, positive);
    if (direction == 0) {
      Token minutesToken = f.peek();
      m = f.number(0xffffffffL);
      check(f, minutesToken, d, m, s, maxDegrees);
      direction = direction(f, negative, positive);
      if (direction == 0) {
        Token secondsToken = f.token();
        s = decimal(f, secondsToken, secondsToken.text(), 59, 3, '\0');
        check(f, secondsToken, d, m, s, maxDegrees);
        direction = direction(f, negative, positive);
        if (direction == 0) {
          throw f.errorAtEnd("syntax error");
        }
      }
    }
    long offset = (d * 3600 + m * 60) * 1000 + s;
    return direction == positive ? 0x80000000L + offset : 0x80000000L - offset;
  }

  private static void check(Fields f, Token t, long d, long m, long s, long maxDegrees)
      throws MasterFileException {
    if (d > maxDegrees || m > 59 || (d == maxDegrees && (m != 0 || s != 0))) {
      throw f.error(t, "out of range");
    }
  }

  private static char direction(Fields f, char negative, char positive) throws MasterFileException {
    if (!f.more()) {
      throw f.errorAtEnd("unexpected end of input");
    }
    String s = f.peek().text();
    if (s.length() == 1 && (s.charAt(0) == negative || s.charAt(0) == positive)) {
      f.token();
      return s.charAt(0);
    }
    return 0;
  }

  /** BIND's loc_getdecimal: digits, an optional fraction of up to {@code precision} digits. */
  private static long decimal(Fields f, Token t, String s, long max, int precision, char unit)
      throws MasterFileException {
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    boolean ok = i > 0;
    if (i > 10) {
      throw f.error(t, "out of range");
    }
    long value = i == 0 ? 0 : Long.parseLong(s.substring(0, i));
    if (i < s.length() && s.charAt(i) != '.' && s.charAt(i) != unit) {
      throw f.error(t, "syntax error");
    }
    if (value > max) {
      throw f.error(t, "out of range");
    }
    int digits = 0;
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      while (digits < precision && i < s.length() && s.charAt(i) != unit) {
        char c = s.charAt(i++);
        if (c < '0' || c > '9') {
          throw f.error(t, "syntax error");
        }
        ok = true;
        value = value * 10 + (c - '0');
        digits++;
      }
    }
    for (; digits < precision; digits++) {
      value *= 10;
    }
    if (unit != '\0' && i < s.length() && s.charAt(i) == unit) {
      i++;
    }
    if (!ok || i != s.length()) {
      throw f.error(t, "syntax error");
    }
    return value;
  }

  /** A size or precision in meters, as mantissa and power of ten of centimeters. */
  private static int precision(Fields f, Token t) throws MasterFileException {
    String s = t.text();
    int i = 0;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    boolean ok = i > 0;
    if (i > 10) {
      throw f.error(t, "out of range");
    }
    long m = i == 0 ? 0 : Long.parseLong(s.substring(0, i));
    if (i < s.length() && s.charAt(i) != '.' && s.charAt(i) != 'm') {
      throw f.error(t, "syntax error");
    }
    if (m > 90000000L) {
      throw f.error(t, "out of range");
    }
    long cm = 0;
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      int digits = 0;
      while (digits < 2 && i < s.length() && s.charAt(i) != 'm') {
        char c = s.charAt(i++);
        if (c < '0' || c > '9') {
          throw f.error(t, "syntax error");
        }
        ok = true;
        cm = cm * 10 + (c - '0');
        digits++;
      }
      for (; digits < 2; digits++) {
        cm *= 10;
      }
    }
    if (i < s.length() && s.charAt(i) == 'm') {
      i++;
    }
    if (!ok || i != s.length()) {
      throw f.error(t, "syntax error");
    }
    int mantissa;
    int exponent;
    if (m > 0) {
      exponent = 0;
      long power = 1;
      while (exponent < 7 && m >= power * 10) {
        power *= 10;
        exponent++;
      }
      mantissa = (int) (m / power);
      exponent += 2;
    } else if (cm >= 10) {
      mantissa = (int) (cm / 10);
      exponent = 1;
    } else {
      mantissa = (int) cm;
      exponent = 0;
    }
    return (mantissa << 4) + exponent;
  }
}
