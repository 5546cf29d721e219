package dev.vxdns.message;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Turns the query bytes of an exchange into a parsed request, or finishes the exchange the way RFC
 * 1035, RFC 6891 and BIND do for input that cannot be answered normally.
 */
public final class DnsRequests {
  private DnsRequests() {}

  /**
   * Parses the query unless an earlier stage already did, and turns it away as BIND 9.20 does
   * before it looks at a zone ({@code ns_client_request} in lib/ns/client.c), in BIND's order:
   *
   * <ol>
   *   <li>{@link #read}: the bytes, EDNS and the class, what BIND checks before the signature;
   *   <li>(the auth stage verifies a TSIG here: it calls {@link #read} and {@link #dispatch}
   *       itself)
   *   <li>{@link #dispatch}: the opcode and the question, what BIND checks after it.
   * </ol>
   */
  public static DnsExchange parse(DnsExchange exchange, int udpSize) {
    DnsExchange read = read(exchange, udpSize);
    return read.isFinished() ? read : dispatch(read, udpSize);
  }

  /**
   * What BIND checks before a request's signature:
   *
   * <ol>
   *   <li>shorter than a header, or QR=1: dropped (answering responses invites loops), its TCP or
   *       DoT connection closed;
   *   <li>the bytes, as BIND's parser reads them ({@link RequestCheck}): FORMERR, with the question
   *       when it was read before the fault, with an OPT record when the fault is an EDNS option of
   *       a bad length or content; a query of the common shape is read without dnsjava ({@link
   *       ParsedRequest#simple}), any other is parsed whole;
   *   <li>EDNS: a version above 0 is BADVERS (RFC 6891 §6.1.3); a Client Subnet option with a scope
   *       is FORMERR (RFC 7871 §7.1.2);
   *   <li>the class: none (no question, no record) FORMERR, NONE outside UPDATE and ANY outside
   *       TKEY FORMERR, HS REFUSED (no view serves it), any class but IN, CH and HS NOTIMP.
   * </ol>
   *
   * A request read before is returned as it is.
   */
  public static DnsExchange read(DnsExchange exchange, int udpSize) {
    if (exchange.parsed() != null) {
      return exchange;
    }
    byte[] query = exchange.query().wire();
    if (query.length < Header.LENGTH || (query[2] & 0x80) != 0) {
      // As BIND (isc_nm_bad_request): a TCP or DoT connection that sends one goes; a datagram is
      // dropped, a DoQ stream cancelled (a DoH request never gets here: 400).
      Transport transport = exchange.endpoints().transport();
      boolean connection = transport == Transport.TCP || transport == Transport.DOT;
      return connection ? exchange.close() : exchange.drop();
    }
    ParsedRequest simple = ParsedRequest.simple(query);
    if (simple != null) {
      boolean tkey = simple.questionType() == Type.TKEY;
      return checked(exchange.withRequest(simple), simple.questionClass(), tkey, udpSize);
    }
    RequestCheck.Walk walk = RequestCheck.walk(query);
    if (walk.parse() != RequestCheck.Parse.OK) {
      boolean badOption = walk.parse() == RequestCheck.Parse.BAD_OPTION;
      return exchange.respond(
          DnsResponses.formErr(query, walk.questionsToEcho(query), badOption ? udpSize : 0));
    }
    Message request = parseWhole(query);
    if (request == null || !isWellFormed(request)) {
      // BIND's parser takes the structure; dnsjava refused a record's RDATA or an option, or
      // stopped early (TC), or a SIG(0) is out of place.
      return exchange.respond(DnsResponses.formErr(query, ParsedRequest.u16(query, 4), 0));
    }
    return checked(exchange.withRequest(request), walk.messageClass(), walk.tkey(), udpSize);
  }

  /** The message dnsjava reads from {@code query}, or null when it cannot. */
  private static Message parseWhole(byte[] query) {
    try {
      return new Message(query);
    } catch (IOException | RuntimeException malformed) {
      return null;
    }
  }

  /** QUERY, NOTIFY and UPDATE: the opcodes BIND serves (any other is NOTIMP). */
  private static boolean isServedOpcode(int opcode) {
    return opcode == Opcode.QUERY || opcode == Opcode.NOTIFY || opcode == Opcode.UPDATE;
  }

  /** BIND's checks of a parsed request before its signature: EDNS and the class. */
  private static DnsExchange checked(
      DnsExchange parsed, int messageClass, boolean tkey, int udpSize) {
    ParsedRequest request = parsed.parsed();
    OPTRecord opt = request.opt();
    if (opt != null && opt.getVersion() > 0) {
      return parsed.respond(DnsResponses.error(parsed.request(), Rcode.BADVERS, udpSize));
    }
    if (opt != null && hasClientSubnetScope(opt)) {
      // BIND answers before it takes the OPT record in: no OPT record in the response.
      byte[] query = parsed.query().wire();
      return parsed.respond(DnsResponses.formErr(query, ParsedRequest.u16(query, 4), 0));
    }
    int opcode = request.opcode();
    int classRcode =
        switch (messageClass) {
          case DClass.IN, DClass.CH -> Rcode.NOERROR;
          case DClass.HS -> Rcode.REFUSED;
          case DClass.NONE -> opcode == Opcode.UPDATE ? Rcode.NOERROR : Rcode.FORMERR;
          case DClass.ANY -> tkey ? Rcode.NOERROR : Rcode.FORMERR;
          default -> messageClass > 0 || !isServedOpcode(opcode) ? Rcode.NOTIMP : Rcode.FORMERR;
        };
    if (classRcode == Rcode.REFUSED) {
      return refuse(
          parsed,
          Rcode.REFUSED,
          udpSize,
          ExtendedErrorCodeOption.PROHIBITED,
          "class " + DClass.string(messageClass) + " is not served");
    }
    if (classRcode != Rcode.NOERROR) {
      return parsed.respond(DnsResponses.error(parsed.request(), classRcode, udpSize));
    }
    return parsed;
  }

  /**
   * What BIND checks after a request's signature, when it dispatches it: an opcode other than
   * QUERY, NOTIFY and UPDATE, or NOTIFY and UPDATE outside IN: NOTIMP; a QUERY with several
   * questions FORMERR, with none SERVFAIL (BIND's answer to a question section it cannot read a
   * name from), for a meta type other than ANY, AXFR, IXFR, MAILA, MAILB and TKEY FORMERR; a NOTIFY
   * or UPDATE without exactly one question (zone), or one not for SOA: FORMERR. Cheap, and the same
   * however often a stage asks.
   */
  public static DnsExchange dispatch(DnsExchange parsed, int udpSize) {
    if (parsed.isFinished()) {
      return parsed;
    }
    ParsedRequest request = parsed.parsed();
    int opcode = request.opcode();
    // Without a question, IN (BIND takes the first record's class; such a NOTIFY or UPDATE is
    // FORMERR below all the same).
    int dclass = request.questionClass() >= 0 ? request.questionClass() : DClass.IN;
    if (!isServedOpcode(opcode) || (opcode != Opcode.QUERY && dclass != DClass.IN)) {
      return refuse(
          parsed,
          Rcode.NOTIMP,
          udpSize,
          ExtendedErrorCodeOption.NOT_SUPPORTED,
          "opcode "
              + Opcode.string(opcode)
              + " is not supported in class "
              + DClass.string(dclass));
    }
    int questions = ParsedRequest.u16(parsed.query().wire(), 4);
    int qtype = request.questionType();
    boolean malformed =
        opcode == Opcode.QUERY
            ? questions != 1 || isQuestionMeta(qtype)
            : questions != 1 || qtype != Type.SOA;
    if (malformed) {
      // A QUERY without a question is BIND's SERVFAIL; NOTIFY and UPDATE name their zone's SOA.
      int rcode = opcode == Opcode.QUERY && questions == 0 ? Rcode.SERVFAIL : Rcode.FORMERR;
      return parsed.respond(DnsResponses.error(parsed.request(), rcode, udpSize));
    }
    return parsed;
  }

  /**
   * A meta type (RFC 6895 §3.1: 128-255, and OPT) that a query may not ask for: all but TKEY and
   * those of RFC 1035 and RFC 1995 (IXFR, AXFR, MAILB, MAILA, ANY).
   */
  private static boolean isQuestionMeta(int qtype) {
    return qtype == Type.OPT || (qtype >= 128 && qtype < Type.IXFR && qtype != Type.TKEY);
  }

  /** Whether the first Client Subnet option has a scope, which only a response may set. */
  private static boolean hasClientSubnetScope(OPTRecord opt) {
    List<EDNSOption> subnets = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
    return !subnets.isEmpty()
        && subnets.get(0) instanceof ClientSubnetOption subnet
        && subnet.getScopePrefixLength() != 0;
  }

  /**
   * In one walk over the records (each section's list read once), for a request dnsjava parsed
   * whole:
   *
   * <ul>
   *   <li>every record the header counts was parsed (dnsjava stops early on TC=1 messages);
   *   <li>at most one OPT record, owned by the root, and only in the additional section (RFC 6891
   *       §6.1.1);
   *   <li>a TSIG (RFC 8945 §5.1) or SIG(0) (RFC 2931 §3.1) only as the very last record of the
   *       additional section, and at most one of them.
   * </ul>
   */
  static boolean isWellFormed(Message request) {
    int opts = 0;
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      List<Record> records = request.getSection(section);
      if (request.getHeader().getCount(section) != records.size()) {
        return false;
      }
      if (section == Section.QUESTION) {
        continue;
      }
      boolean additional = section == Section.ADDITIONAL;
      for (int i = 0; i < records.size(); i++) {
        Record record = records.get(i);
        if (record.getType() == Type.OPT) {
          opts++;
          if (!additional || opts > 1 || !record.getName().equals(Name.root)) {
            return false;
          }
        }
        if (ParsedRequest.isSignature(record) && !(additional && i == records.size() - 1)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Convenience for stages: a REFUSED/NOTIMP/... response with an Extended DNS Error. */
  public static DnsExchange refuse(
      DnsExchange exchange, int rcode, int udpSize, int edeCode, String edeText) {
    return exchange.respond(
        DnsResponses.error(exchange.request(), rcode, udpSize, edeCode, edeText));
  }
}
