package dev.vxdns.zone;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DNAMERecord;
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
   * The answer as a dnsjava message, whole (no size limit), with the additional addresses and
   * without the zone's NS RRset ({@link AnswerExtras#ADDITIONAL}): for callers off the query path
   * (key lookups, tools, tests). {@code skeleton} carries the header id, opcode, RD and the
   * question.
   */
  public static Message answer(Zone zone, Name qname, int qtype, Message skeleton) {
    WireResponse response = WireResponse.of(skeleton, Message.MAXLENGTH);
    answer(zone, qname.toWire(), qtype, AnswerExtras.ADDITIONAL, response);
    try {
      return new Message(response.toWire());
    } catch (IOException e) {
      throw new IllegalStateException("a rendered answer does not parse", e);
    }
  }

  /**
   * Writes the answer of zone for qname/qtype into response (already carrying the header id,
   * opcode, RD and the question): sets rcode and the AA flag, adds answer, authority and additional
   * records; a positive answer with the extras {@link MinimalResponses#extras} chose.
   *
   * <p>qname must be at or below the zone's origin (the caller picked the zone with {@link
   * ZoneSet#find}); any other name gets REFUSED rather than a wrong answer.
   */
  public static void answer(
      Zone zone, Name qname, int qtype, AnswerExtras extras, WireResponse response) {
    answer(zone, qname.toWire(), qtype, extras, response);
  }

  /**
   * Like {@link #answer(Zone, Name, int, AnswerExtras, WireResponse)}, for the query name's wire
   * form (as the query spells it): a dnsjava name is made only when an alias is followed.
   */
  public static void answer(
      Zone zone, byte[] qnameWire, int qtype, AnswerExtras extras, WireResponse response) {
    if (!WireNames.atOrBelow(qnameWire, zone.originWire())) {
      response.finish(Rcode.REFUSED, false);
      return;
    }
    // Created only when an alias is followed: most answers never need them.
    Set<Name> visited = null;
    Name name = null;
    byte[] wire = qnameWire;
    boolean answered = false;
    for (int step = 1; ; step++) {
      Match match = zone.match(wire, qtype == Type.DS);
      if (step == 1 && match.kind() == Match.Kind.WILDCARD) {
        response.fromWildcard();
      }
      Name next;
      switch (match.kind()) {
        case DELEGATION:
          referral(zone, match, response);
          // RFC 1035 §4.1.1: AA speaks for the first owner name in the answer, so an alias
          // leading into a delegation is still authoritative.
          response.finish(Rcode.NOERROR, answered);
          return;
        case NXDOMAIN:
          negative(zone, Rcode.NXDOMAIN, qtype, response);
          return;
        case DNAME:
          name = name != null ? name : WireNames.name(wire, 0, wire.length);
          next = substitute(name, match, response);
          if (next == null) {
            response.finish(Rcode.YXDOMAIN, true);
            return;
          }
          if (qtype == Type.CNAME || qtype == Type.ANY) {
            // The synthesised CNAME is the answer itself, as a CNAME met as data is; as BIND does,
            // ANY does not follow it either.
            extras(zone, match.node(), Type.CNAME, qtype == Type.ANY, extras, response);
            response.finish(Rcode.NOERROR, true);
            return;
          }
          break;
        default: // EXACT or WILDCARD
          next = data(zone, wire, qtype, extras, match, response);
          if (next == null) {
            return;
          }
          break;
      }
      answered = true;
      if (visited == null) {
        visited = new HashSet<>();
      }
      visited.add(name != null ? name : WireNames.name(wire, 0, wire.length));
      // RFC 6604: the rcode is that of the last name looked up; a chain that leaves the zone ends
      // on an alias that exists. A loop is SERVFAIL, with the aliases, as named answers it.
      if (visited.contains(next)) {
        response.finish(Rcode.SERVFAIL, true);
        return;
      }
      if (!next.subdomain(zone.origin()) || step >= MAX_CHAIN) {
        response.finish(Rcode.NOERROR, true);
        return;
      }
      name = next;
      wire = next.toWire();
    }
  }

  /**
   * Answers from the node of an exact or wildcard match for the wire name {@code name}.
   *
   * @return the CNAME target to follow, or null when the response is complete
   */
  private static Name data(
      Zone zone, byte[] name, int qtype, AnswerExtras extras, Match match, WireResponse response) {
    Node node = match.node();
    // A wildcard's records are owned by the query name (RFC 4592 §3.3.1).
    byte[] owner = match.kind() == Match.Kind.WILDCARD ? node.synthesisedOwner(name) : null;
    int type = qtype == Type.ANY ? node.anyType() : qtype;
    if (type >= 0 && node.has(type)) {
      addAnswer(node, type, owner, response);
      extras(zone, node, type, qtype == Type.ANY, extras, response);
      response.finish(Rcode.NOERROR, true);
      return null;
    }
    if (!node.has(Type.CNAME) || !followsCname(qtype)) {
      negative(zone, Rcode.NOERROR, qtype, response);
      return null;
    }
    addAnswer(node, Type.CNAME, owner, response);
    return node.target(Type.CNAME);
  }

  /**
   * Whether a question for {@code qtype} is answered through a CNAME at its name: not for the
   * DNSSEC types that live beside one (RFC 4035 §2.5, RFC 3007: RRSIG, SIG, NSEC, KEY), which BIND
   * answers from the name itself (NODATA when it has none).
   */
  private static boolean followsCname(int qtype) {
    return qtype != Type.RRSIG && qtype != Type.SIG && qtype != Type.NSEC && qtype != Type.KEY;
  }

  /**
   * RFC 6672 §3.3: the DNAME plus a CNAME synthesised from it.
   *
   * @return the substituted name, or null when it would exceed 255 octets (YXDOMAIN)
   */
  private static Name substitute(Name name, Match match, WireResponse response) {
    Node node = match.node();
    DNAMERecord dname = (DNAMERecord) node.rrset(Type.DNAME).get(0);
    addAnswer(node, Type.DNAME, null, response);
    Name target;
    try {
      target = name.fromDNAME(dname);
    } catch (NameTooLongException e) {
      return null;
    }
    byte[] rdata = target.toWire();
    response.beginRRset(Section.ANSWER, name.toWire(), 0, Type.CNAME);
    response.record(dname.getDClass(), dname.getTTL(), rdata, 0, rdata.length);
    response.endRRset();
    return target;
  }

  /**
   * RFC 1034 §4.3.2 step 3b: the cut's NS RRset and the glue the zone holds for it: addresses of
   * the NS names at or below a cut of this zone (this one or a sibling), as named 9.20 adds them;
   * not those of authoritative names, which a resolver asks for on its own.
   */
  private static void referral(Zone zone, Match match, WireResponse response) {
    Node cut = match.node();
    cut.write(Type.NS, Section.AUTHORITY, null, Long.MAX_VALUE, response);
    addAddresses(glue(zone, cut), List.of(), response);
  }

  /** The nodes of the names an NS RRset points to that lie at or below a cut of this zone. */
  private static List<Node> glue(Zone zone, Node node) {
    List<Node> glue = new ArrayList<>();
    for (Record ns : node.rrset(Type.NS)) {
      Name target = ns.getAdditionalName();
      if (target.subdomain(zone.origin())
          && zone.match(target, false).kind() == Match.Kind.DELEGATION) {
        Node found = zone.node(target);
        if (found != null) {
          glue.add(found);
        }
      }
    }
    return glue;
  }

  /**
   * RFC 2308 §3: the SOA, with its negative TTL, tells the resolver how long to cache this. Like
   * named (its zero-no-soa-ttl default), a SOA query for a name that does not exist gets the SOA
   * with TTL 0, so the answer is not cached as if it were the zone's SOA.
   */
  private static void negative(Zone zone, int rcode, int qtype, WireResponse response) {
    long ttl = rcode == Rcode.NXDOMAIN && qtype == Type.SOA ? 0 : zone.negativeSoa().getTTL();
    zone.apex().write(Type.SOA, Section.AUTHORITY, null, ttl, response);
    response.finish(rcode, true);
  }

  /**
   * The RRset as an answer: owned by {@code owner} when synthesised from a wildcard (null: as
   * spelled); a DNAME met twice in one chain is sent once.
   */
  private static void addAnswer(Node node, int type, byte[] owner, WireResponse response) {
    if (owner == null && node.isIn(response, Section.ANSWER, type)) {
      return;
    }
    node.write(type, Section.ANSWER, owner, Long.MAX_VALUE, response);
  }

  /**
   * What a positive answer carries beside its RRset, as BIND's query_addauth and additional data
   * add it: the zone's NS RRset in the authority section (not when the answer has it), then the
   * addresses of the names the answer's NS, MX or SRV RRset points to and of the zone's name
   * servers, those this zone is authoritative for (glue goes only with referrals, and with a root
   * priming query); none for ANY, as named adds none to an ANY answer.
   */
  private static void extras(
      Zone zone, Node node, int type, boolean any, AnswerExtras extras, WireResponse response) {
    boolean atApex = node.sameAs(zone.apex());
    if (type == Type.NS && !any && atApex && zone.origin().equals(Name.root)) {
      // A root priming query (RFC 8109): as named answers it, its glue (the root servers' names
      // lie below cuts), whatever the extras; not the addresses the root zone is authoritative for.
      addAddresses(glue(zone, node), List.of(), response);
      return;
    }
    if (extras == AnswerExtras.NONE) {
      return;
    }
    // named's ANY answer at the apex has the NS RRset; vxdns's one RRset (RFC 8482) stands for it.
    boolean nsAnswered = atApex && (type == Type.NS || any);
    List<Node> nameServers = List.of();
    if (extras == AnswerExtras.AUTHORITY && !nsAnswered) {
      zone.apex().write(Type.NS, Section.AUTHORITY, null, Long.MAX_VALUE, response);
      nameServers = zone.nameServers();
    }
    if (any) {
      return;
    }
    List<Node> targets =
        type == Type.NS || type == Type.MX || type == Type.SRV
            ? zone.authoritativeNodes(node, type)
            : List.of();
    addAddresses(targets, nameServers, response);
  }

  /**
   * The address records of the targets, then of {@code more}: every name's of the client's family
   * first, then the others', as named renders them; each RRset once.
   */
  private static void addAddresses(List<Node> targets, List<Node> more, WireResponse response) {
    for (int type : response.addressOrder()) {
      addAddresses(targets, type, response);
      addAddresses(more, type, response);
    }
  }

  private static void addAddresses(List<Node> nodes, int type, WireResponse response) {
    for (Node node : nodes) {
      if (node.has(type) && !node.isIn(response, -1, type)) {
        node.write(type, Section.ADDITIONAL, null, Long.MAX_VALUE, response);
      }
    }
  }
}
