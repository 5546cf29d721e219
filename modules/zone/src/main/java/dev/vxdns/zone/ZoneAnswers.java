package dev.vxdns.zone;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The authoritative answer algorithm (RFC 1034 §4.3.2, RFC 4592, RFC 6672, RFC 2308, RFC 8482).
 * Stateless.
 */
public final class ZoneAnswers {

  /** Longest CNAME/DNAME chain followed inside one zone; also what ends a loop. */
  static final int MAX_CHAIN = 16;

  private ZoneAnswers() {}

  /**
   * Fills response (already carrying the header id, opcode, RD and the question) with the answer of
   * zone for qname/qtype: sets rcode and the AA flag, adds answer, authority and additional
   * records.
   *
   * <p>qname must be at or below the zone's origin (the caller picked the zone with {@link
   * ZoneSet#find}); any other name gets REFUSED rather than a wrong answer.
   */
  public static void answer(Zone zone, Name qname, int qtype, Message response) {
    Header header = response.getHeader();
    if (!qname.subdomain(zone.origin())) {
      header.unsetFlag(Flags.AA);
      header.setRcode(Rcode.REFUSED);
      return;
    }
    // Created only when an alias is followed: most answers never need it.
    Set<Name> visited = null;
    Name name = qname;
    boolean answered = false;
    for (int step = 1; ; step++) {
      Match match = zone.match(name, qtype == Type.DS);
      Name next;
      switch (match.kind()) {
        case DELEGATION:
          referral(zone, match, response);
          // RFC 1035 §4.1.1: AA speaks for the first owner name in the answer, so an alias
          // leading into a delegation is still authoritative.
          finish(header, Rcode.NOERROR, answered);
          return;
        case NXDOMAIN:
          negative(zone, Rcode.NXDOMAIN, response);
          return;
        case DNAME:
          next = substitute(name, match, response);
          if (next == null) {
            finish(header, Rcode.YXDOMAIN, true);
            return;
          }
          break;
        default: // EXACT or WILDCARD
          next = data(zone, name, qtype, match, response);
          if (next == null) {
            return;
          }
          break;
      }
      answered = true;
      if (visited == null) {
        visited = new HashSet<>();
      }
      visited.add(name);
      // RFC 6604: the rcode is that of the last name looked up; a chain that leaves the zone, or
      // loops, ends on an alias that exists.
      if (!next.subdomain(zone.origin()) || visited.contains(next) || step >= MAX_CHAIN) {
        finish(header, Rcode.NOERROR, true);
        return;
      }
      name = next;
    }
  }

  /**
   * Answers from the node of an exact or wildcard match.
   *
   * @return the CNAME target to follow, or null when the response is complete
   */
  private static Name data(Zone zone, Name name, int qtype, Match match, Message response) {
    Node node = match.node();
    boolean synthesised = match.kind() == Match.Kind.WILDCARD;
    // A wildcard's records are made with the query name as owner (RFC 4592 §3.3.1).
    Name owner = synthesised ? name : null;
    List<Record> rrset = qtype == Type.ANY ? node.anyRRset(owner) : node.rrset(qtype, owner);
    if (rrset != null) {
      addAnswer(rrset, synthesised, response);
      additional(zone, rrset, response);
      finish(response.getHeader(), Rcode.NOERROR, true);
      return null;
    }
    List<Record> cname = node.rrset(Type.CNAME, owner);
    if (cname == null) {
      negative(zone, Rcode.NOERROR, response);
      return null;
    }
    addAnswer(cname, synthesised, response);
    return ((CNAMERecord) cname.get(0)).getTarget();
  }

  /**
   * RFC 6672 §3.3: the DNAME plus a CNAME synthesised from it.
   *
   * @return the substituted name, or null when it would exceed 255 octets (YXDOMAIN)
   */
  private static Name substitute(Name name, Match match, Message response) {
    List<Record> dnames = match.node().rrset(Type.DNAME);
    DNAMERecord dname = (DNAMERecord) dnames.get(0);
    addAnswer(dnames, false, response);
    Name target;
    try {
      target = name.fromDNAME(dname);
    } catch (NameTooLongException e) {
      return null;
    }
    response.addRecord(
        new CNAMERecord(name, dname.getDClass(), dname.getTTL(), target), Section.ANSWER);
    return target;
  }

  /** RFC 1034 §4.3.2 step 3b: the cut's NS RRset and whatever glue the zone holds. */
  private static void referral(Zone zone, Match match, Message response) {
    List<Record> ns = match.node().rrset(Type.NS);
    for (Record record : ns) {
      response.addRecord(record, Section.AUTHORITY);
    }
    for (Record record : ns) {
      glue(zone, record.getAdditionalName(), true, response);
    }
  }

  /** RFC 2308 §3: the SOA, with its negative TTL, tells the resolver how long to cache this. */
  private static void negative(Zone zone, int rcode, Message response) {
    response.addRecord(zone.negativeSoa(), Section.AUTHORITY);
    finish(response.getHeader(), rcode, true);
  }

  private static void addAnswer(List<Record> rrset, boolean synthesised, Message response) {
    Record first = rrset.get(0);
    // A DNAME met twice in one chain is sent once.
    if (!synthesised && response.findRRset(first.getName(), first.getType(), Section.ANSWER)) {
      return;
    }
    for (Record record : rrset) {
      response.addRecord(record, Section.ANSWER);
    }
  }

  /**
   * Like BIND: addresses of the names an NS, MX or SRV answer points to, when this zone is
   * authoritative for them. An NS target may also be glue below a cut: without it a delegation to a
   * name inside itself could never be followed.
   */
  private static void additional(Zone zone, List<Record> rrset, Message response) {
    int type = rrset.get(0).getType();
    if (type != Type.NS && type != Type.MX && type != Type.SRV) {
      return;
    }
    for (Record record : rrset) {
      glue(zone, record.getAdditionalName(), type == Type.NS, response);
    }
  }

  private static void glue(Zone zone, Name target, boolean glueOk, Message response) {
    if (target == null || !target.subdomain(zone.origin())) {
      return;
    }
    Node node;
    if (glueOk) {
      node = zone.node(target);
    } else {
      Match match = zone.match(target, false);
      node = match.kind() == Match.Kind.EXACT ? match.node() : null;
    }
    if (node == null) {
      return;
    }
    addAddresses(node, Type.A, target, response);
    addAddresses(node, Type.AAAA, target, response);
  }

  private static void addAddresses(Node node, int type, Name target, Message response) {
    List<Record> rrset = node.rrset(type);
    if (rrset == null || response.findRRset(target, type)) {
      return;
    }
    for (Record record : rrset) {
      response.addRecord(record, Section.ADDITIONAL);
    }
  }

  private static void finish(Header header, int rcode, boolean authoritative) {
    header.setRcode(rcode);
    if (authoritative) {
      header.setFlag(Flags.AA);
    } else {
      header.unsetFlag(Flags.AA);
    }
  }
}
