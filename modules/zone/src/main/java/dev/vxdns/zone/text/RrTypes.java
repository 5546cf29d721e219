package dev.vxdns.zone.text;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * BIND 9.20's mnemonics: RR types (lib/dns/rdata, rdata.c), classes, and the DNSSEC tables of
 * lib/dns/rcode.c (algorithms, protocols, digest types, certificate types, key flags).
 */
final class RrTypes {

  private RrTypes() {}

  private static final Map<String, Integer> TYPES = new HashMap<>();
  private static final Map<Integer, String> TYPE_NAMES = new HashMap<>();

  static {
    Object[] table = {
      "A",
      1,
      "NS",
      2,
      "MD",
      3,
      "MF",
      4,
      "CNAME",
      5,
      "SOA",
      6,
      "MB",
      7,
      "MG",
      8,
      "MR",
      9,
      "NULL",
      10,
      "WKS",
      11,
      "PTR",
      12,
      "HINFO",
      13,
      "MINFO",
      14,
      "MX",
      15,
      "TXT",
      16,
      "RP",
      17,
      "AFSDB",
      18,
      "X25",
      19,
      "ISDN",
      20,
      "RT",
      21,
      "NSAP",
      22,
      "NSAP-PTR",
      23,
      "SIG",
      24,
      "KEY",
      25,
      "PX",
      26,
      "GPOS",
      27,
      "AAAA",
      28,
      "LOC",
      29,
      "NXT",
      30,
      "EID",
      31,
      "NIMLOC",
      32,
      "SRV",
      33,
      "ATMA",
      34,
      "NAPTR",
      35,
      "KX",
      36,
      "CERT",
      37,
      "A6",
      38,
      "DNAME",
      39,
      "SINK",
      40,
      "OPT",
      41,
      "APL",
      42,
      "DS",
      43,
      "SSHFP",
      44,
      "IPSECKEY",
      45,
      "RRSIG",
      46,
      "NSEC",
      47,
      "DNSKEY",
      48,
      "DHCID",
      49,
      "NSEC3",
      50,
      "NSEC3PARAM",
      51,
      "TLSA",
      52,
      "SMIMEA",
      53,
      "HIP",
      55,
      "NINFO",
      56,
      "RKEY",
      57,
      "TALINK",
      58,
      "CDS",
      59,
      "CDNSKEY",
      60,
      "OPENPGPKEY",
      61,
      "CSYNC",
      62,
      "ZONEMD",
      63,
      "SVCB",
      64,
      "HTTPS",
      65,
      "DSYNC",
      66,
      "HHIT",
      67,
      "BRID",
      68,
      "SPF",
      99,
      "UINFO",
      100,
      "UID",
      101,
      "GID",
      102,
      "UNSPEC",
      103,
      "NID",
      104,
      "L32",
      105,
      "L64",
      106,
      "LP",
      107,
      "EUI48",
      108,
      "EUI64",
      109,
      "TKEY",
      249,
      "TSIG",
      250,
      "IXFR",
      251,
      "AXFR",
      252,
      "MAILB",
      253,
      "MAILA",
      254,
      "ANY",
      255,
      "URI",
      256,
      "CAA",
      257,
      "AVC",
      258,
      "DOA",
      259,
      "AMTRELAY",
      260,
      "RESINFO",
      261,
      "WALLET",
      262,
      "TA",
      32768,
      "DLV",
      32769,
      "KEYDATA",
      65533
    };
    for (int i = 0; i < table.length; i += 2) {
      TYPES.put((String) table[i], (Integer) table[i + 1]);
      TYPE_NAMES.put((Integer) table[i + 1], (String) table[i]);
    }
  }

  /** The type for a mnemonic or {@code TYPEnnn}, or -1. */
  static int type(String text) {
    Integer known = TYPES.get(text); // most files write mnemonics in upper case
    if (known != null) {
      return known;
    }
    String upper = text.toUpperCase(Locale.ROOT);
    known = TYPES.get(upper);
    if (known != null) {
      return known;
    }
    return numbered(upper, "TYPE");
  }

  static String typeName(int type) {
    String name = TYPE_NAMES.get(type);
    return name != null ? name : "TYPE" + type;
  }

  /** BIND's meta types, which a master file may not hold. */
  static boolean isMeta(int type) {
    return type == 41 || (type >= 249 && type <= 255) || type == 0;
  }

  /** The class for a mnemonic or {@code CLASSnnn}, or -1. */
  static int dclass(String text) {
    if (text.equals("IN")) {
      return 1;
    }
    if (text.isEmpty() || !Character.isLetter(text.charAt(0))) {
      return -1;
    }
    String upper = text.toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "IN" -> 1;
      case "CH", "CHAOS" -> 3;
      case "HS", "HESIOD" -> 4;
      case "NONE" -> 254;
      case "ANY" -> 255;
      default -> numbered(upper, "CLASS");
    };
  }

  static String className(int dclass) {
    return switch (dclass) {
      case 1 -> "IN";
      case 3 -> "CH";
      case 4 -> "HS";
      case 254 -> "NONE";
      case 255 -> "ANY";
      default -> "CLASS" + dclass;
    };
  }

  private static int numbered(String upper, String prefix) {
    if (!upper.startsWith(prefix) || upper.length() == prefix.length()) {
      return -1;
    }
    String digits = upper.substring(prefix.length());
    if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int value = Integer.parseInt(digits);
    return value <= 0xffff ? value : -1;
  }

  static final Map<String, Integer> SECALGS =
      table(
          "RSAMD5",
          1,
          "DH",
          2,
          "DSA",
          3,
          "RSASHA1",
          5,
          "NSEC3DSA",
          6,
          "NSEC3RSASHA1",
          7,
          "RSASHA256",
          8,
          "RSASHA512",
          10,
          "ECCGOST",
          12,
          "ECDSAP256SHA256",
          13,
          "ECDSA256",
          13,
          "ECDSAP384SHA384",
          14,
          "ECDSA384",
          14,
          "ED25519",
          15,
          "ED448",
          16,
          "INDIRECT",
          252,
          "PRIVATEDNS",
          253,
          "PRIVATEOID",
          254);
  static final Map<String, Integer> SECPROTOS =
      table("NONE", 0, "TLS", 1, "EMAIL", 2, "DNSSEC", 3, "IPSEC", 4, "ALL", 255);
  static final Map<String, Integer> DSDIGESTS =
      table("SHA-1", 1, "SHA1", 1, "SHA-256", 2, "SHA256", 2, "GOST", 3, "SHA-384", 4, "SHA384", 4);
  static final Map<String, Integer> HASHALGS = table("SHA-1", 1);
  static final Map<String, Integer> CERTS =
      table(
          "PKIX", 1, "SPKI", 2, "PGP", 3, "IPKIX", 4, "ISPKI", 5, "IPGP", 6, "ACPKIX", 7, "IACPKIX",
          8, "URI", 253, "OID", 254);
  static final Map<String, Integer> DSYNC_SCHEMES = table("NOTIFY", 1);
  static final Map<String, Integer> KEYFLAGS =
      table(
          "NOCONF", 0x4000, "NOAUTH", 0x8000, "NOKEY", 0xC000, "FLAG2", 0x2000, "EXTEND", 0x1000,
          "FLAG4", 0x0800, "FLAG5", 0x0400, "USER", 0x0000, "ZONE", 0x0100, "HOST", 0x0200, "NTYP3",
          0x0300, "FLAG8", 0x0080, "FLAG9", 0x0040, "FLAG10", 0x0020, "FLAG11", 0x0010, "SIG0", 0,
          "SIG1", 1, "SIG2", 2, "SIG3", 3, "SIG4", 4, "SIG5", 5, "SIG6", 6, "SIG7", 7, "SIG8", 8,
          "SIG9", 9, "SIG10", 10, "SIG11", 11, "SIG12", 12, "SIG13", 13, "SIG14", 14, "SIG15", 15);

  private static Map<String, Integer> table(Object... pairs) {
    Map<String, Integer> map = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return Map.copyOf(map);
  }
}
