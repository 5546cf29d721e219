package dev.vxdns.verticles.rrl;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * BIND's kinds of response, each with its own rate: which account a response is charged to is
 * decided by its kind (see {@link #accountName}).
 */
enum ResponseKind {
  /** NOERROR with records in the answer section ({@code responses-per-second}). */
  ANSWER,
  /** NOERROR, no answer, NS records in the authority section, not authoritative. */
  REFERRAL,
  /** NOERROR and nothing in the answer section. */
  NODATA,
  NXDOMAIN,
  /** Every other rcode (REFUSED, FORMERR, SERVFAIL, NOTIMP, NOTAUTH, ...). */
  ERROR,
  /** Not a kind of response: the {@code all-per-second} account of a prefix. */
  ALL;

  static ResponseKind of(Message response) {
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return NXDOMAIN;
    }
    if (rcode != Rcode.NOERROR) {
      return ERROR;
    }
    if (!response.getSection(Section.ANSWER).isEmpty()) {
      return ANSWER;
    }
    if (!response.getHeader().getFlag(Flags.AA) && delegation(response) != null) {
      return REFERRAL;
    }
    return NODATA;
  }

  /**
   * The name the account is kept for, as BIND keys it: the qname for answers and NODATA, the
   * delegation for referrals, the zone (the SOA's owner) for NXDOMAIN, so that random names under
   * one zone share one account; none for errors, which are all one account per prefix.
   */
  Name accountName(Message response) {
    Record question = response.getQuestion();
    Name qname = question == null ? null : question.getName();
    return switch (this) {
      case ANSWER, NODATA -> qname;
      case REFERRAL -> delegation(response);
      case NXDOMAIN -> {
        Name zone = soaOwner(response);
        yield zone != null ? zone : qname;
      }
      case ERROR, ALL -> null;
    };
  }

  private static Name delegation(Message response) {
    for (Record record : response.getSection(Section.AUTHORITY)) {
      if (record.getType() == Type.NS) {
        return record.getName();
      }
    }
    return null;
  }

  private static Name soaOwner(Message response) {
    for (Record record : response.getSection(Section.AUTHORITY)) {
      if (record.getType() == Type.SOA) {
        return record.getName();
      }
    }
    return null;
  }
}
