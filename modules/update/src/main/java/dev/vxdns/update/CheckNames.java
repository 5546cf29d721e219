package dev.vxdns.update;

import org.xbill.DNS.AFSDBRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MINFORecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.RPRecord;
import org.xbill.DNS.RTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * BIND's {@code check-names primary fail} (the default for a primary zone), which an added record
 * must pass: host names (RFC 952/1123 letters, digits and inner hyphens) for the owners of A, AAAA,
 * A6, WKS and MX and in the rdata of NS, SOA, MX, SRV, AFSDB, RT and reverse PTR; mailbox names for
 * the owners of MB and MG and in SOA, RP and MINFO (dns_rdata_checkowner and dns_rdata_checknames).
 */
final class CheckNames {

  private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
  private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");
  private static final Name IP6_INT = Name.fromConstantString("ip6.int.");

  private CheckNames() {}

  /** Null when the record passes, else the name that fails. */
  static Name violation(Record record) {
    Name owner = record.getName();
    if (!ownerOk(owner, record.getType(), record.getDClass())) {
      return owner;
    }
    return rdataViolation(record);
  }

  private static boolean ownerOk(Name owner, int type, int dclass) {
    switch (type) {
      case Type.A:
        if (dclass == DClass.IN && (isActiveDirectoryGc(owner) || hasSpfLabel(owner))) {
          return true;
        }
        return isHostname(owner, true);
      case Type.AAAA:
        return isActiveDirectoryGc(owner) || isHostname(owner, true);
      case Type.A6:
      case Type.WKS:
      case Type.MX:
        return isHostname(owner, true);
      case Type.MB:
      case Type.MG:
        return isMailbox(owner);
      default:
        return true;
    }
  }

  private static Name rdataViolation(Record record) {
    if (record instanceof NSRecord ns) {
      return hostOrNull(ns.getTarget());
    }
    if (record instanceof MXRecord mx) {
      return hostOrNull(mx.getTarget());
    }
    if (record instanceof SRVRecord srv) {
      return hostOrNull(srv.getTarget());
    }
    if (record instanceof AFSDBRecord afsdb) {
      return hostOrNull(afsdb.getHost());
    }
    if (record instanceof RTRecord rt) {
      return hostOrNull(rt.getIntermediateHost());
    }
    if (record instanceof SOARecord soa) {
      Name host = hostOrNull(soa.getHost());
      return host != null ? host : mailboxOrNull(soa.getAdmin());
    }
    if (record instanceof RPRecord rp) {
      return mailboxOrNull(rp.getMailbox());
    }
    if (record instanceof MINFORecord minfo) {
      Name responsible = mailboxOrNull(minfo.getResponsibleAddress());
      return responsible != null ? responsible : mailboxOrNull(minfo.getErrorAddress());
    }
    if (record instanceof PTRRecord ptr && record.getDClass() == DClass.IN) {
      Name owner = record.getName();
      if (owner.subdomain(IN_ADDR_ARPA) || owner.subdomain(IP6_ARPA) || owner.subdomain(IP6_INT)) {
        return hostOrNull(ptr.getTarget());
      }
    }
    return null;
  }

  private static Name hostOrNull(Name name) {
    return isHostname(name, false) ? null : name;
  }

  private static Name mailboxOrNull(Name name) {
    return isMailbox(name) ? null : name;
  }

  /** dns_name_ishostname; a leading "*" label is allowed for owner names. */
  static boolean isHostname(Name name, boolean wildcard) {
    int first = wildcard && name.isWild() ? 1 : 0;
    for (int i = first; i < name.labels(); i++) {
      if (!isHostLabel(name.getLabel(i))) {
        return false;
      }
    }
    return true;
  }

  /** dns_name_ismailbox: a first label of any printable characters, then a host name. */
  static boolean isMailbox(Name name) {
    if (name.labels() == 1) {
      return true;
    }
    byte[] local = name.getLabel(0);
    for (int i = 1; i < local.length; i++) {
      if (local[i] <= 0x20 || local[i] >= 0x7f) {
        return false;
      }
    }
    for (int i = 1; i < name.labels(); i++) {
      if (!isHostLabel(name.getLabel(i))) {
        return false;
      }
    }
    return true;
  }

  /** Letters and digits, with hyphens inside; the root label (empty) passes. */
  private static boolean isHostLabel(byte[] label) {
    int length = label[0];
    for (int i = 1; i <= length; i++) {
      char c = (char) (label[i] & 0xff);
      boolean border = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (i == 1 || i == length) {
        if (!border) {
          return false;
        }
      } else if (!border && c != '-') {
        return false;
      }
    }
    return true;
  }

  /** gc._msdcs.FOREST, where FOREST is a host name (Active Directory's global catalog). */
  private static boolean isActiveDirectoryGc(Name owner) {
    return owner.labels() > 3
        && owner.getLabelString(0).equalsIgnoreCase("gc")
        && owner.getLabelString(1).equalsIgnoreCase("_msdcs")
        && isHostname(new Name(owner, 2), false);
  }

  /** RFC 7208 exists targets: a "_spf", "_spf_verify" or "_spf_rate" label above the last two. */
  private static boolean hasSpfLabel(Name owner) {
    int labels = owner.labels();
    for (int i = 0; i < labels - 2; i++) {
      String label = owner.getLabelString(i);
      if (label.equalsIgnoreCase("_spf")
          || label.equalsIgnoreCase("_spf_verify")
          || label.equalsIgnoreCase("_spf_rate")) {
        return true;
      }
    }
    return false;
  }
}
