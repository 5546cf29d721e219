package dev.vxdns.message;

import java.io.IOException;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
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
   * Parses the query unless an earlier stage already did.
   *
   * <ul>
   *   <li>shorter than a header, or QR=1: dropped (answering responses invites loops);
   *   <li>unparseable (truncated, compression loop, bad label): FORMERR built from the header;
   *   <li>QDCOUNT other than 1, several OPT records, an OPT not owned by the root: FORMERR;
   *   <li>EDNS version above 0: BADVERS (RFC 6891 §6.1.3).
   * </ul>
   */
  public static DnsExchange parse(DnsExchange exchange, int udpSize) {
    if (exchange.request() != null) {
      return exchange;
    }
    byte[] query = exchange.query().wire();
    if (query.length < Header.LENGTH || (query[2] & 0x80) != 0) {
      return exchange.drop();
    }
    Message request;
    try {
      request = new Message(query);
    } catch (IOException | RuntimeException malformed) {
      return exchange.respond(DnsResponses.formErrFromHeader(query));
    }
    DnsExchange parsed = exchange.withRequest(request);
    if (request.getHeader().getCount(Section.QUESTION) != 1) {
      return parsed.respond(DnsResponses.error(request, Rcode.FORMERR, udpSize));
    }
    if (!hasWellFormedEdns(request)) {
      Message withoutEdns = request.clone();
      withoutEdns.removeAllRecords(Section.ADDITIONAL);
      return parsed.respond(DnsResponses.error(withoutEdns, Rcode.FORMERR, udpSize));
    }
    OPTRecord opt = request.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      return parsed.respond(DnsResponses.error(request, Rcode.BADVERS, udpSize));
    }
    return parsed;
  }

  /** At most one OPT record, owned by the root (RFC 6891 §6.1.1). */
  static boolean hasWellFormedEdns(Message request) {
    int opts = 0;
    for (Record record : request.getSection(Section.ADDITIONAL)) {
      if (record.getType() == Type.OPT) {
        opts++;
        if (opts > 1 || !record.getName().equals(Name.root)) {
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
