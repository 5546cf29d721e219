package dev.vxdns.message;

import java.io.IOException;
import java.util.List;
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
   * Parses the query unless an earlier stage already did: a query of the common shape is read from
   * its bytes without dnsjava ({@link ParsedRequest#simple}), any other is parsed whole.
   *
   * <ul>
   *   <li>shorter than a header, or QR=1: dropped (answering responses invites loops);
   *   <li>unparseable (truncated, compression loop, bad label): FORMERR built from the header; with
   *       the question and an OPT record when only the OPT record's options are malformed, as BIND
   *       9.20 answers;
   *   <li>QDCOUNT other than 1: FORMERR (with an OPT when there is no question and the request's
   *       OPT is well-formed, as BIND 9.20 answers);
   *   <li>fewer records than the header counts (dnsjava stops quietly at the end of a TC=1 message;
   *       BIND does not, for queries), an OPT outside the additional section, several OPT records,
   *       an OPT not owned by the root, a TSIG or SIG(0) that is not the last record of the
   *       additional section: FORMERR with the question only, as BIND 9.20 answers them;
   *   <li>EDNS version above 0: BADVERS (RFC 6891 §6.1.3).
   * </ul>
   */
  public static DnsExchange parse(DnsExchange exchange, int udpSize) {
    if (exchange.parsed() != null) {
      return exchange;
    }
    byte[] query = exchange.query().wire();
    if (query.length < Header.LENGTH || (query[2] & 0x80) != 0) {
      return exchange.drop();
    }
    ParsedRequest simple = ParsedRequest.simple(query);
    DnsExchange parsed;
    if (simple != null) {
      parsed = exchange.withRequest(simple);
    } else {
      Message request;
      try {
        request = new Message(query);
      } catch (IOException | RuntimeException malformed) {
        Message badOptions = ParsedRequest.formErrForBadOptions(query, udpSize);
        return exchange.respond(
            badOptions != null ? badOptions : DnsResponses.formErrFromHeader(query));
      }
      parsed = exchange.withRequest(request);
      int questions = request.getHeader().getCount(Section.QUESTION);
      if (questions != 1 || request.getQuestion() == null) {
        // As BIND 9.20: without a question but with a well-formed OPT, FORMERR with an OPT (RFC
        // 6891 §7); with several questions, the header alone.
        return parsed.respond(
            questions == 0 && request.getOPT() != null && isWellFormed(request)
                ? DnsResponses.error(request, Rcode.FORMERR, udpSize)
                : DnsResponses.formErrFromHeader(query));
      }
      if (!isWellFormed(request)) {
        Message questionOnly = request.clone();
        questionOnly.removeAllRecords(Section.ANSWER);
        questionOnly.removeAllRecords(Section.AUTHORITY);
        questionOnly.removeAllRecords(Section.ADDITIONAL);
        // The stripped request, so later stages and the way back never see the bad records.
        return exchange
            .withRequest(questionOnly)
            .respond(DnsResponses.error(questionOnly, Rcode.FORMERR, udpSize));
      }
    }
    OPTRecord opt = parsed.requestOpt();
    if (opt != null && opt.getVersion() > 0) {
      return parsed.respond(DnsResponses.error(parsed.request(), Rcode.BADVERS, udpSize));
    }
    return parsed;
  }

  /**
   * In one walk over the records (each section's list read once: this runs for every query):
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
