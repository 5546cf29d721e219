package dev.vxdns.zone;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * BIND's {@code check-names}: host names (RFC 952/1123 letters, digits and inner hyphens) for the
 * owners of A, AAAA, A6, WKS and MX and in the RDATA of NS, SOA, MX, SRV, AFSDB, RT and reverse
 * PTR; mailbox names for the owners of MB and MG and in SOA, RP and MINFO ({@code
 * dns_rdata_checkowner} and {@code dns_rdata_checknames}, lib/dns/rdata). Read on wire forms, so a
 * zone load checks its names without making a dnsjava object.
 */
public final class CheckNames {

  /** What a zone does with a name that fails: BIND's {@code fail}, {@code warn}, {@code ignore}. */
  public enum Mode {
    FAIL,
    WARN,
    IGNORE;

    /** The mode from its BIND spelling. */
    public static Mode parse(String text) {
      return switch (text) {
        case "fail" -> FAIL;
        case "warn" -> WARN;
        case "ignore" -> IGNORE;
        default -> throw new IllegalArgumentException("must be fail, warn or ignore, not " + text);
      };
    }
  }

  private static final byte[] IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.").toWire();
  private static final byte[] IP6_ARPA = Name.fromConstantString("ip6.arpa.").toWire();
  private static final byte[] IP6_INT = Name.fromConstantString("ip6.int.").toWire();

  private CheckNames() {}

  /**
   * What is wrong with the record, in BIND's words ({@code under_score.example.test/A: bad owner
   * name (check-names)}, {@code m.example.test/MX: bad_host.example.org: bad name (check-names)}),
   * or null when it passes.
   */
  public static String problem(Record record) {
    // Rdata.of keeps the names' case, so the message spells the bad name as the record does.
    return problem(
        record.getName().toWire(), record.getType(), record.getDClass(), Rdata.of(record));
  }

  /** Like {@link #problem(Record)}, for an owner and RDATA in wire form (uncompressed). */
  static String problem(byte[] owner, int type, int dclass, byte[] rdata) {
    String problem = ownerProblem(owner, type, dclass);
    return problem != null ? problem : rdataProblem(owner, type, dclass, rdata);
  }

  /** What is wrong with the owner of a record of this type, or null. */
  static String ownerProblem(byte[] owner, int type, int dclass) {
    if (ownerOk(owner, type, dclass)) {
      return null;
    }
    return text(owner, 0) + "/" + Type.string(type) + ": bad owner name (check-names)";
  }

  /** What is wrong with the names in a record's RDATA, or null. */
  static String rdataProblem(byte[] owner, int type, int dclass, byte[] rdata) {
    int bad = badNameInRdata(owner, type, dclass, rdata);
    if (bad < 0) {
      return null;
    }
    return text(owner, 0)
        + "/"
        + Type.string(type)
        + ": "
        + text(rdata, bad)
        + ": bad name (check-names)";
  }

  /** Whether records of this type need a host name as owner (or one of BIND's exceptions). */
  static boolean wantsHostOwner(int type) {
    return switch (type) {
      case Type.A, Type.AAAA, Type.A6, Type.WKS, Type.MX -> true;
      default -> false;
    };
  }

  private static boolean ownerOk(byte[] owner, int type, int dclass) {
    if (type == Type.MB || type == Type.MG) {
      return isMailbox(owner, 0);
    }
    return !wantsHostOwner(type)
        || isHostname(owner, 0, true)
        || isHostException(owner, type, dclass);
  }

  /** An owner BIND lets hold addresses although it is no host name. */
  private static boolean isHostException(byte[] owner, int type, int dclass) {
    return switch (type) {
      case Type.A -> dclass == DClass.IN && (isActiveDirectoryGc(owner) || hasSpfLabel(owner));
      case Type.AAAA -> isActiveDirectoryGc(owner);
      default -> false;
    };
  }

  /** Where in the RDATA the name that fails starts, or -1. */
  private static int badNameInRdata(byte[] owner, int type, int dclass, byte[] rdata) {
    switch (type) {
      case Type.NS:
        return hostAt(rdata, 0);
      case Type.MX:
      case Type.AFSDB:
      case Type.RT:
        return hostAt(rdata, 2);
      case Type.SRV:
        return hostAt(rdata, 6);
      case Type.SOA:
        {
          int host = hostAt(rdata, 0);
          if (host >= 0) {
            return host;
          }
          int admin = nameEnd(rdata, 0);
          return isMailbox(rdata, admin) ? -1 : admin;
        }
      case Type.RP:
        return isMailbox(rdata, 0) ? -1 : 0;
      case Type.MINFO:
        {
          if (!isMailbox(rdata, 0)) {
            return 0;
          }
          int errors = nameEnd(rdata, 0);
          return isMailbox(rdata, errors) ? -1 : errors;
        }
      case Type.PTR:
        if (dclass == DClass.IN
            && (WireNames.atOrBelow(owner, IN_ADDR_ARPA)
                || WireNames.atOrBelow(owner, IP6_ARPA)
                || WireNames.atOrBelow(owner, IP6_INT))) {
          return hostAt(rdata, 0);
        }
        return -1;
      default:
        return -1;
    }
  }

  /** Where the wire name at {@code at} ends (past the RDATA when it is cut short). */
  private static int nameEnd(byte[] wire, int at) {
    while (at < wire.length && wire[at] != 0) {
      at += 1 + wire[at];
    }
    return at + 1;
  }

  private static int hostAt(byte[] rdata, int at) {
    return at < rdata.length && !isHostname(rdata, at, false) ? at : -1;
  }

  /**
   * dns_name_ishostname on the wire name at {@code at}; a leading "*" label allowed as asked. RDATA
   * too short to hold a name (RFC 3597 text can give any octets) is not this check's to refuse.
   */
  static boolean isHostname(byte[] wire, int at, boolean wildcard) {
    if (wildcard && at + 1 < wire.length && wire[at] == 1 && wire[at + 1] == '*') {
      at += 2;
    }
    while (at < wire.length && wire[at] != 0) {
      if (at + wire[at] >= wire.length || !isHostLabel(wire, at)) {
        return at + wire[at] >= wire.length;
      }
      at += 1 + wire[at];
    }
    return true;
  }

  /** dns_name_ismailbox: a first label of any printable characters, then a host name. */
  static boolean isMailbox(byte[] wire, int at) {
    if (at >= wire.length || wire[at] == 0 || at + wire[at] >= wire.length) {
      return true;
    }
    int length = wire[at];
    for (int i = at + 1; i <= at + length; i++) {
      if (wire[i] <= 0x20 || wire[i] >= 0x7f) {
        return false;
      }
    }
    return isHostname(wire, at + 1 + length, false);
  }

  /** Letters and digits, with hyphens inside. */
  private static boolean isHostLabel(byte[] wire, int at) {
    int length = wire[at];
    if (length == 0) {
      return true;
    }
    if (HOST_OCTET[wire[at + 1] & 0xff] != LETTER_OR_DIGIT
        || HOST_OCTET[wire[at + length] & 0xff] != LETTER_OR_DIGIT) {
      return false;
    }
    for (int i = 2; i < length; i++) {
      if (HOST_OCTET[wire[at + i] & 0xff] == OTHER) {
        return false;
      }
    }
    return true;
  }

  private static final byte OTHER = 0;
  private static final byte HYPHEN = 1;
  private static final byte LETTER_OR_DIGIT = 2;

  /** What each octet is to a host name: a table, as this runs for every name of a load. */
  private static final byte[] HOST_OCTET = hostOctets();

  private static byte[] hostOctets() {
    byte[] table = new byte[256];
    for (int c = 0; c < 256; c++) {
      boolean letterOrDigit =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      table[c] = letterOrDigit ? LETTER_OR_DIGIT : c == '-' ? HYPHEN : OTHER;
    }
    return table;
  }

  /** gc._msdcs.FOREST, where FOREST is a host name (Active Directory's global catalog). */
  private static boolean isActiveDirectoryGc(byte[] owner) {
    if (WireNames.labels(owner, 0) <= 3 || !labelIs(owner, 0, "gc")) {
      return false;
    }
    int second = 1 + owner[0];
    return labelIs(owner, second, "_msdcs") && isHostname(owner, second + 1 + owner[second], false);
  }

  /** RFC 7208 exists targets: a "_spf", "_spf_verify" or "_spf_rate" label above the last two. */
  private static boolean hasSpfLabel(byte[] owner) {
    int labels = WireNames.labels(owner, 0);
    int at = 0;
    for (int i = 0; i < labels - 2; i++) {
      if (labelIs(owner, at, "_spf")
          || labelIs(owner, at, "_spf_verify")
          || labelIs(owner, at, "_spf_rate")) {
        return true;
      }
      at += 1 + owner[at];
    }
    return false;
  }

  private static boolean labelIs(byte[] wire, int at, String ascii) {
    if (wire[at] != ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (Character.toLowerCase((char) (wire[at + 1 + i] & 0xff)) != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The wire name at {@code at} as BIND prints it in a log line (no final dot). */
  private static String text(byte[] wire, int at) {
    return WireNames.name(wire, at, nameEnd(wire, at) - at).toString(true);
  }
}
