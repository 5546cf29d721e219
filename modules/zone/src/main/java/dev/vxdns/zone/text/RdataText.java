package dev.vxdns.zone.text;

import dev.vxdns.zone.text.MasterLexer.Token;
import java.util.Locale;

/**
 * The presentation form of every type BIND 9.20 reads from a master file, turned into wire RDATA
 * field by field as BIND's {@code fromtext_*} functions do (lib/dns/rdata/{generic,in_1}/*.c at
 * v9.20.23), and RFC 3597's {@code \# length hex} for any type.
 */
final class RdataText {

  private RdataText() {}

  /** The RDATA of a record of {@code type} (class IN) from the fields; every token is used. */
  static byte[] parse(int type, Fields f) throws MasterFileException {
    if (f.more() && !f.peek().quoted() && f.peek().text().equals("\\#")) {
      Token where = f.peek();
      byte[] rdata = unknown(f);
      checkUnknownForm(type, rdata.length, f, where);
      return rdata;
    }
    fields(type, f);
    if (f.more()) {
      throw f.error(f.peek(), "extra input text");
    }
    byte[] rdata = f.out.toByteArray();
    if (rdata.length > 0xffff) {
      throw f.errorAtEnd("ran out of space");
    }
    return rdata;
  }

  private static byte[] unknown(Fields f) throws MasterFileException {
    f.token();
    long length = f.number(0xffff);
    if (length == 0) {
      if (f.more()) {
        throw f.error(f.peek(), "extra input text");
      }
      return new byte[0];
    }
    f.hex((int) length, true);
    if (f.more()) {
      throw f.error(f.peek(), "extra input text");
    }
    return f.out.toByteArray();
  }

  /**
   * BIND checks RFC 3597 data of a type it knows with the type's wire parser; this checks the
   * lengths: no empty RDATA where the type has fields, and the fixed sizes.
   */
  private static void checkUnknownForm(int type, int length, Fields f, Token where)
      throws MasterFileException {
    int fixed =
        switch (type) {
          case 1 -> 4;
          case 28 -> 16;
          case 108 -> 6;
          case 109 -> 8;
          case 105 -> 6;
          case 104, 106 -> 10;
          default -> -1;
        };
    // the types whose wire form may be empty in BIND 9.20 (each type tried with named-checkzone)
    boolean mayBeEmpty =
        switch (type) {
          case 10, 42, 100, 101, 102, 103, 65533 -> true; // NULL APL UINFO UID GID UNSPEC KEYDATA
          default -> RrTypes.typeName(type).startsWith("TYPE");
        };
    if ((fixed >= 0 && length != fixed) || (length == 0 && !mayBeEmpty)) {
      throw f.error(where, length == 0 ? "unexpected end of input" : "bad rdata length");
    }
  }

  private static void fields(int type, Fields f) throws MasterFileException {
    switch (type) {
      case 1 -> f.out.writeByteArray(f.ipv4(f.token())); // A
      case 2, 3, 4, 5, 7, 8, 9, 12, 23, 39 -> f.writeName(); // NS MD MF CNAME MB MG MR PTR
      case 6 -> soa(f);
      case 11 -> Wks.parse(f);
      case 13 -> {
        f.characterString();
        f.characterString();
      }
      case 14, 17, 58 -> { // MINFO RP TALINK
        f.writeName();
        f.writeName();
      }
      case 15, 18, 21, 36, 107 -> { // MX AFSDB RT KX LP
        f.u16();
        f.writeName();
      }
      case 16, 56, 99, 258, 261, 262 -> txt(f); // TXT NINFO SPF AVC RESINFO WALLET
      case 19 -> x25(f);
      case 20 -> { // ISDN
        f.characterString();
        if (f.more()) {
          f.characterString();
        }
      }
      case 22 -> nsap(f);
      case 24, 46 -> sig(f, type == 46);
      case 25, 48, 57, 60 -> key(f, type);
      case 26 -> { // PX
        f.u16();
        f.writeName();
        f.writeName();
      }
      case 27 -> { // GPOS
        f.characterString();
        f.characterString();
        f.characterString();
      }
      case 28 -> f.out.writeByteArray(f.ipv6(f.token()));
      case 29 -> Loc.parse(f);
      case 30 -> nxt(f);
      case 31, 32 -> f.hex(0, true); // EID NIMLOC
      case 33 -> { // SRV
        f.u16();
        f.u16();
        f.u16();
        f.writeName();
      }
      case 34 -> atma(f);
      case 35 -> naptr(f);
      case 37 -> cert(f);
      case 38 -> a6(f);
      case 40 -> { // SINK
        f.u8();
        f.u8();
        f.u8();
        f.base64Rest(false);
      }
      case 42 -> apl(f);
      case 43, 59, 32768, 32769 -> ds(f); // DS CDS TA DLV
      case 44 -> sshfp(f);
      case 45 -> ipseckey(f);
      case 47 -> { // NSEC
        f.writeName();
        f.typeBitmap(false);
      }
      case 49, 61, 67, 68 -> f.base64Rest(true); // DHCID OPENPGPKEY HHIT BRID
      case 50 -> nsec3(f);
      case 51 -> nsec3Param(f);
      case 52, 53 -> { // TLSA SMIMEA
        f.u8();
        f.u8();
        f.u8();
        f.hex(0, true);
      }
      case 55 -> hip(f);
      case 62 -> { // CSYNC
        f.u32();
        f.u16();
        f.typeBitmap(true);
      }
      case 63 -> zonemd(f);
      case 64, 65 -> Svcb.parse(f);
      case 66 -> dsync(f);
      case 104, 106 -> { // NID L64
        f.u16();
        locator(f);
      }
      case 105 -> { // L32
        f.u16();
        f.out.writeByteArray(f.ipv4(f.token()));
      }
      case 108 -> eui(f, 6);
      case 109 -> eui(f, 8);
      case 256 -> uri(f);
      case 257 -> caa(f);
      case 259 -> doa(f);
      case 260 -> amtrelay(f);
      case 65533 -> keydata(f);
      default -> {
        // NULL and the types BIND has no presentation form for: only RFC 3597's \# form
        Token t = f.token();
        throw f.error(t, "syntax error");
      }
    }
  }

  private static void soa(Fields f) throws MasterFileException {
    f.writeName();
    f.writeName();
    f.u32();
    for (int i = 0; i < 4; i++) {
      Token t = f.token();
      long value = Ttls.parse(t.text());
      if (value < 0 || t.quoted()) {
        throw f.error(t, "bad ttl");
      }
      f.out.writeU32(value);
    }
  }

  private static void txt(Fields f) throws MasterFileException {
    if (!f.more()) {
      throw f.errorAtEnd("unexpected end of input");
    }
    while (f.more()) {
      f.characterString();
    }
  }

  private static void x25(Fields f) throws MasterFileException {
    Token t = f.token();
    if (t.text().length() < 4) {
      throw f.error(t, "syntax error");
    }
    if (!Fields.isDigits(t.text())) {
      throw f.error(t, "out of range");
    }
    f.writeCharacterString(t, f.text(t));
  }

  private static void nsap(Fields f) throws MasterFileException {
    Token t = f.token();
    String s = t.text();
    if (s.length() < 2) {
      throw f.error(t, "unexpected end of input");
    }
    if (s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
      throw f.error(t, "syntax error");
    }
    StringBuilder digits = new StringBuilder();
    for (int i = 2; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        continue;
      }
      if (Character.digit(c, 16) < 0) {
        throw f.error(t, "syntax error");
      }
      digits.append(c);
    }
    if (digits.length() == 0 || digits.length() % 2 != 0) {
      throw f.error(t, "unexpected end of input");
    }
    f.out.writeByteArray(f.hex(t, digits.toString()));
  }

  private static void sig(Fields f, boolean rrsig) throws MasterFileException {
    f.out.writeU16(f.rrType(true));
    int alg = f.mnemonic(RrTypes.SECALGS, 0xff, "unknown algorithm");
    f.out.writeU8(alg);
    f.u8();
    f.u32();
    f.out.writeU32(f.time(rrsig));
    f.out.writeU32(f.time(rrsig));
    f.u16();
    f.writeName();
    int before = f.out.current();
    f.base64Rest(true);
    checkPrivate(f, alg, before);
  }

  private static int keyFlags(Fields f) throws MasterFileException {
    Token t = f.token();
    String s = t.text();
    if (Fields.isDigits(s)) {
      long value = f.parseNumber(t);
      if (value > 0xffff) {
        throw f.error(t, "out of range");
      }
      return (int) value;
    }
    int flags = 0;
    for (String part : s.split("\\|", -1)) {
      Integer value = RrTypes.KEYFLAGS.get(part.toUpperCase(Locale.ROOT));
      if (value == null) {
        throw f.error(t, "unknown flag");
      }
      flags |= value;
    }
    return flags;
  }

  private static void key(Fields f, int type) throws MasterFileException {
    Token flagsToken = f.peek();
    int flags = keyFlags(f);
    if (type == 57 && flags != 0) {
      throw f.error(flagsToken, "FORMERR");
    }
    f.out.writeU16(flags);
    f.out.writeU8(f.mnemonic(RrTypes.SECPROTOS, 0xff, "unknown protocol"));
    f.out.writeU8(f.mnemonic(RrTypes.SECALGS, 0xff, "unknown algorithm"));
    if (type == 25 && (flags & 0xc000) == 0xc000) {
      return; // a KEY with NOKEY carries no key
    }
    int before = f.out.current();
    f.base64Rest(true);
    checkPrivate(f, alg(f, before - 1), before);
  }

  private static int alg(Fields f, int at) {
    return f.out.toByteArray()[at] & 0xff;
  }

  /**
   * BIND's check_private: a PRIVATEDNS key or signature starts with a domain name, a PRIVATEOID one
   * with a length-prefixed BER object identifier.
   */
  private static void checkPrivate(Fields f, int algorithm, int from) throws MasterFileException {
    if (algorithm != 253 && algorithm != 254) {
      return;
    }
    byte[] all = f.out.toByteArray();
    byte[] data = java.util.Arrays.copyOfRange(all, from, all.length);
    boolean ok;
    if (algorithm == 253) {
      try {
        new org.xbill.DNS.Name(new org.xbill.DNS.DNSInput(data));
        ok = true;
      } catch (java.io.IOException | RuntimeException e) {
        ok = false;
      }
      if (!ok) {
        throw f.errorAtEnd("disallowed (by application policy)");
      }
      return;
    }
    int length = data.length > 0 ? data[0] & 0xff : 0;
    ok = length >= 3 && length < data.length && data[1] == 0x06 && (data[2] & 0xff) == length - 2;
    if (ok) {
      boolean start = true;
      for (int i = 3; i <= length; i++) {
        int b = data[i] & 0xff;
        if (start && b == 0x80) {
          ok = false;
        }
        start = (b & 0x80) == 0;
      }
      ok &= start;
    }
    if (!ok) {
      throw f.errorAtEnd("FORMERR");
    }
  }

  private static void keydata(Fields f) throws MasterFileException {
    for (int i = 0; i < 3; i++) {
      f.out.writeU32(f.time(false));
    }
    int flags = keyFlags(f);
    f.out.writeU16(flags);
    int proto = f.mnemonic(RrTypes.SECPROTOS, 0xff, "unknown protocol");
    f.out.writeU8(proto);
    int alg = f.mnemonic(RrTypes.SECALGS, 0xff, "unknown algorithm");
    f.out.writeU8(alg);
    if ((flags == 0 && proto == 0 && alg == 0) || (flags & 0xc000) == 0xc000) {
      return;
    }
    f.base64Rest(true);
  }

  private static void nxt(Fields f) throws MasterFileException {
    f.writeName();
    byte[] bitmap = new byte[16];
    int max = -1;
    while (f.more()) {
      Token t = f.token();
      int type =
          Fields.isDigits(t.text()) && t.text().length() <= 5
              ? Integer.parseInt(t.text())
              : RrTypes.type(t.text());
      if (type < 0) {
        throw f.error(t, "unknown class/type");
      }
      if (type < 1 || type > 127) {
        throw f.error(t, "out of range");
      }
      bitmap[type / 8] |= (byte) (0x80 >> (type % 8));
      max = Math.max(max, type);
    }
    if (max >= 0) {
      f.out.writeByteArray(bitmap, 0, (max + 8) / 8);
    }
  }

  private static void atma(Fields f) throws MasterFileException {
    Token t = f.token();
    String s = t.text();
    if (s.isEmpty()) {
      throw f.error(t, "unexpected end of input");
    }
    boolean lastWasPeriod = true;
    if (s.charAt(0) != '+') {
      f.out.writeU8(0);
      StringBuilder digits = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '.') {
          if (lastWasPeriod) {
            throw f.error(t, "syntax error");
          }
          lastWasPeriod = true;
          continue;
        }
        if (Character.digit(c, 16) < 0) {
          throw f.error(t, "syntax error");
        }
        digits.append(c);
        lastWasPeriod = false;
      }
      if (digits.length() == 0 || digits.length() % 2 != 0 || lastWasPeriod) {
        throw f.error(t, "unexpected end of input");
      }
      f.out.writeByteArray(f.hex(t, digits.toString()));
    } else {
      f.out.writeU8(1);
      for (int i = 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '.') {
          if (lastWasPeriod) {
            throw f.error(t, "syntax error");
          }
          lastWasPeriod = true;
          continue;
        }
        if (c < '0' || c > '9') {
          throw f.error(t, "syntax error");
        }
        f.out.writeU8(c);
        lastWasPeriod = false;
      }
      if (lastWasPeriod) {
        throw f.error(t, "unexpected end of input");
      }
    }
  }

  private static void naptr(Fields f) throws MasterFileException {
    f.u16();
    f.u16();
    f.characterString();
    f.characterString();
    f.characterString();
    f.writeName();
  }

  private static void cert(Fields f) throws MasterFileException {
    f.out.writeU16(f.mnemonic(RrTypes.CERTS, 0xffff, "unknown certificate type"));
    f.u16();
    f.out.writeU8(f.mnemonic(RrTypes.SECALGS, 0xff, "unknown algorithm"));
    f.base64Rest(true);
  }

  private static void a6(Fields f) throws MasterFileException {
    int prefix = (int) f.number(128);
    f.out.writeU8(prefix);
    if (prefix != 128) {
      int octets = prefix / 8;
      byte[] address = f.ipv6(f.token());
      address[octets] &= (byte) (0xff >> (prefix % 8));
      f.out.writeByteArray(address, octets, 16 - octets);
    }
    if (prefix != 0) {
      f.writeName();
    }
  }

  private static void apl(Fields f) throws MasterFileException {
    while (f.more()) {
      Token t = f.token();
      String s = t.text();
      boolean negated = s.startsWith("!");
      if (negated) {
        s = s.substring(1);
      }
      int colon = s.indexOf(':');
      if (colon <= 0 || !Fields.isDigits(s.substring(0, colon))) {
        throw f.error(t, "syntax error");
      }
      if (colon > 5 || Integer.parseInt(s.substring(0, colon)) > 0xffff) {
        throw f.error(t, "out of range");
      }
      int family = Integer.parseInt(s.substring(0, colon));
      String rest = s.substring(colon + 1);
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        throw f.error(t, "syntax error");
      }
      String prefixText = rest.substring(slash + 1);
      if (!Fields.isDigits(prefixText) || prefixText.length() > 3) {
        throw f.error(t, "not a valid number");
      }
      int prefix = Integer.parseInt(prefixText);
      if (prefix > 255) {
        throw f.error(t, "out of range");
      }
      byte[] address;
      if (family == 1) {
        address = f.ipv4(new Token(rest.substring(0, slash), false, t.line()));
        if (prefix > 32) {
          throw f.error(t, "out of range");
        }
      } else if (family == 2) {
        address = f.ipv6(new Token(rest.substring(0, slash), false, t.line()));
        if (prefix > 128) {
          throw f.error(t, "out of range");
        }
      } else {
        throw f.error(t, "not implemented");
      }
      int length = address.length;
      while (length > 0 && address[length - 1] == 0) {
        length--;
      }
      f.out.writeU16(family);
      f.out.writeU8(prefix);
      f.out.writeU8(length | (negated ? 0x80 : 0));
      f.out.writeByteArray(address, 0, length);
    }
  }

  private static void ds(Fields f) throws MasterFileException {
    f.u16();
    f.out.writeU8(f.mnemonic(RrTypes.SECALGS, 0xff, "unknown algorithm"));
    int digest = f.mnemonic(RrTypes.DSDIGESTS, 0xff, "unknown digest type");
    f.out.writeU8(digest);
    int length =
        switch (digest) {
          case 1 -> 20;
          case 2 -> 32;
          case 4 -> 48;
          default -> 0;
        };
    f.hex(length, true);
  }

  private static void sshfp(Fields f) throws MasterFileException {
    f.u8();
    int kind = (int) f.number(0xff);
    f.out.writeU8(kind);
    int length =
        switch (kind) {
          case 1 -> 20;
          case 2 -> 32;
          default -> 0;
        };
    f.hex(length, false);
  }

  private static void ipseckey(Fields f) throws MasterFileException {
    f.u8();
    int gateway = (int) f.number(3);
    f.out.writeU8(gateway);
    f.u8();
    gateway(f, gateway);
    f.base64Rest(true);
  }

  private static void gateway(Fields f, int kind) throws MasterFileException {
    Token t = f.token();
    switch (kind) {
      case 0 -> {
        if (!t.text().equals(".")) {
          throw f.error(t, "syntax error");
        }
      }
      case 1 -> f.out.writeByteArray(f.ipv4(t));
      case 2 -> f.out.writeByteArray(f.ipv6(t));
      default -> f.out.writeByteArray(f.name(t));
    }
  }

  private static void amtrelay(Fields f) throws MasterFileException {
    f.u8();
    int discovery = (int) f.number(1);
    int kind = (int) f.number(0x7f);
    f.out.writeU8(kind | discovery << 7);
    if (kind > 3) {
      Token t = f.token();
      throw f.error(t, "not implemented");
    }
    gateway(f, kind);
  }

  private static void nsec3(Fields f) throws MasterFileException {
    f.out.writeU8(f.mnemonic(RrTypes.HASHALGS, 0xff, "unknown hash algorithm"));
    f.u8();
    f.u16();
    salt(f);
    Token t = f.token();
    byte[] next = Base32Hex.decode(t.text());
    if (next == null) {
      throw f.error(t, "bad base32 encoding");
    }
    if (next.length > 39 || (f.out.toByteArray()[0] == 1 && next.length != 20)) {
      throw f.error(t, "out of range");
    }
    f.out.writeU8(next.length);
    f.out.writeByteArray(next);
    f.typeBitmap(true);
  }

  private static void nsec3Param(Fields f) throws MasterFileException {
    f.out.writeU8(f.mnemonic(RrTypes.HASHALGS, 0xff, "unknown hash algorithm"));
    f.u8();
    f.u16();
    salt(f);
  }

  private static void salt(Fields f) throws MasterFileException {
    Token t = f.token();
    if (t.text().length() > 510) {
      throw f.error(t, "text too long");
    }
    if (t.text().equals("-")) {
      f.out.writeU8(0);
      return;
    }
    byte[] salt = f.hex(t, t.text());
    f.out.writeU8(salt.length);
    f.out.writeByteArray(salt);
  }

  private static void hip(Fields f) throws MasterFileException {
    int algorithm = (int) f.number(0xff);
    Token hitToken = f.token();
    byte[] hit = f.hex(hitToken, hitToken.text());
    if (hit.length > 0xff) {
      throw f.error(hitToken, "out of range");
    }
    Token keyToken = f.token();
    byte[] key = f.base64(keyToken, keyToken.text());
    f.out.writeU8(hit.length);
    f.out.writeU8(algorithm);
    f.out.writeU16(key.length);
    f.out.writeByteArray(hit);
    f.out.writeByteArray(key);
    while (f.more()) {
      f.writeName();
    }
  }

  private static void zonemd(Fields f) throws MasterFileException {
    f.u32();
    f.out.writeU8((int) f.number(0xff));
    int digest = (int) f.number(0xff);
    f.out.writeU8(digest);
    int length =
        switch (digest) {
          case 1 -> 48;
          case 2 -> 64;
          default -> 0;
        };
    int before = f.out.current();
    f.hex(length, true);
    if (f.out.current() - before < 12) {
      throw f.errorAtEnd("unexpected end of input");
    }
  }

  private static void dsync(Fields f) throws MasterFileException {
    f.out.writeU16(f.rrType(true));
    f.out.writeU8(f.mnemonic(RrTypes.DSYNC_SCHEMES, 0xff, "unknown scheme"));
    f.u16();
    f.writeName();
  }

  private static void locator(Fields f) throws MasterFileException {
    Token t = f.token();
    String[] groups = t.text().split(":", -1);
    if (groups.length != 4) {
      throw f.error(t, "syntax error");
    }
    for (String group : groups) {
      if (group.isEmpty() || group.length() > 4) {
        throw f.error(t, "syntax error");
      }
      int value = 0;
      for (int i = 0; i < group.length(); i++) {
        int d = Character.digit(group.charAt(i), 16);
        if (d < 0) {
          throw f.error(t, "syntax error");
        }
        value = value << 4 | d;
      }
      f.out.writeU16(value);
    }
  }

  private static void eui(Fields f, int octets) throws MasterFileException {
    Token t = f.token();
    // BIND reads it with sscanf("%2x-%2x-..."): groups of one or two hex digits
    String[] groups = t.text().split("-", -1);
    if (groups.length < octets) {
      throw f.error(t, "bad EUI");
    }
    for (int i = 0; i < octets; i++) {
      String g = groups[i];
      if (g.isEmpty() || g.length() > 2 || Character.digit(g.charAt(0), 16) < 0) {
        throw f.error(t, "bad EUI");
      }
      if (g.length() == 2 && Character.digit(g.charAt(1), 16) < 0) {
        throw f.error(t, "bad EUI");
      }
      f.out.writeU8(Integer.parseInt(g, 16));
    }
  }

  private static void uri(Fields f) throws MasterFileException {
    f.u16();
    f.u16();
    Token t = f.token();
    if (!t.quoted()) {
      throw f.error(t, "syntax error");
    }
    f.out.writeByteArray(f.text(t));
  }

  private static void caa(Fields f) throws MasterFileException {
    f.u8();
    Token tag = f.token();
    for (int i = 0; i < tag.text().length(); i++) {
      char c = tag.text().charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        throw f.error(tag, "syntax error");
      }
    }
    if (tag.text().isEmpty() || tag.text().length() > 255) {
      throw f.error(tag, "syntax error");
    }
    f.out.writeCountedString(tag.text().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Token value = f.token();
    f.out.writeByteArray(f.text(value));
  }

  private static void doa(Fields f) throws MasterFileException {
    f.u32();
    f.u32();
    f.u8();
    f.characterString();
    if (f.more() && f.peek().text().equals("-") && !f.peek().quoted()) {
      f.token();
      return;
    }
    if (!f.more()) {
      throw f.errorAtEnd("unexpected end of input");
    }
    f.base64Rest(false);
  }
}
