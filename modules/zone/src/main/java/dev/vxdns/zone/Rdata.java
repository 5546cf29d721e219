package dev.vxdns.zone;

import java.util.Arrays;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** RDATA as wire bytes: what the zone store keeps, and the dnsjava records made from it. */
final class Rdata {
  private Rdata() {}

  /** A dnsjava record from wire RDATA (uncompressed); {@code rdata} is not copied. */
  static Record record(Name owner, int type, int dclass, long ttl, byte[] rdata) {
    Record record;
    try {
      record = Record.newRecord(owner, type, dclass, ttl, rdata);
    } catch (RuntimeException e) {
      record = null;
    }
    // null: a form BIND reads but dnsjava's class for the type refuses (GPOS with empty strings)
    return record != null ? record : new WireRecord(owner, type, dclass, ttl, rdata);
  }

  /** The record's RDATA in uncompressed wire form, names in their own case. */
  static byte[] of(Record record) {
    byte[] wire = record.toWire(Section.ANSWER);
    // owner, type, class, TTL, RDLENGTH, then the RDATA
    return Arrays.copyOfRange(wire, record.getName().length() + 10, wire.length);
  }

  /**
   * Whether two RDATA are the same as dnsjava's {@code Record.equals} sees them: names inside RDATA
   * compare without case (RFC 4343), every other field exactly. Only RDATA that differ in the case
   * of some octets need dnsjava's canonical form to tell, which is rare.
   */
  static boolean same(Name owner, int type, int dclass, byte[] a, byte[] b) {
    if (Arrays.equals(a, b)) {
      return true;
    }
    if (a.length != b.length || caseFoldedHash(a) != caseFoldedHash(b)) {
      return false;
    }
    return Arrays.equals(canonical(owner, type, dclass, a), canonical(owner, type, dclass, b));
  }

  /** A hash equal for RDATA that {@link #same} may call equal. */
  static int caseFoldedHash(byte[] bytes) {
    int hash = 1;
    for (byte b : bytes) {
      hash = 31 * hash + (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
    }
    return hash;
  }

  private static byte[] canonical(Name owner, int type, int dclass, byte[] rdata) {
    Record record = record(owner, type, dclass, 0, rdata);
    return record instanceof WireRecord ? rdata : record.rdataToWireCanonical();
  }
}
