package dev.vxdns.secondary;

import dev.vxdns.auth.TsigKey;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * A query (or NOTIFY) in wire form, TSIG-signed when a key is given, with what is needed to check
 * its answers: the ID, the question, the key and the query's TSIG (the first MAC of the answer
 * covers it, RFC 8945 section 4.3.3).
 */
final class SignedQuery {
  private static final SecureRandom IDS = new SecureRandom();

  final Message message;
  final byte[] wire;
  final TSIG tsig;
  final TSIGRecord queryTsig;

  private SignedQuery(Message message, TsigKey key) {
    this.tsig = key == null ? null : key.toDnsjava();
    if (tsig != null) {
      tsig.apply(message, null);
    }
    this.message = message;
    this.wire = message.toWire(Message.MAXLENGTH);
    this.queryTsig = message.getTSIG();
  }

  /** A query for {@code type} at {@code name} (RD clear), with {@code authority} records. */
  static SignedQuery query(Name name, int type, List<Record> authority, TsigKey key) {
    Message message = new Message(IDS.nextInt(0x10000));
    message.getHeader().unsetFlag(Flags.RD);
    message.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    for (Record record : authority) {
      message.addRecord(record, Section.AUTHORITY);
    }
    return new SignedQuery(message, key);
  }

  /** RFC 1996 section 3.7: opcode NOTIFY, AA, question {@code zone} SOA IN, the new SOA. */
  static SignedQuery notify(Name zone, Record soa, TsigKey key) {
    Message message = new Message(IDS.nextInt(0x10000));
    message.getHeader().setOpcode(Opcode.NOTIFY);
    message.getHeader().unsetFlag(Flags.RD);
    message.getHeader().setFlag(Flags.AA);
    message.addRecord(Record.newRecord(zone, soa.getType(), DClass.IN), Section.QUESTION);
    message.addRecord(soa, Section.ANSWER);
    return new SignedQuery(message, key);
  }

  int id() {
    return message.getHeader().getID();
  }

  /**
   * Whether {@code reply} is the answer to this query: it parses, is a response with this ID,
   * opcode and (when it has one) question. Used to ignore stray datagrams.
   */
  boolean isAnsweredBy(byte[] reply) {
    try {
      Message m = new Message(reply);
      return m.getHeader().getID() == id()
          && m.getHeader().getFlag(Flags.QR)
          && m.getHeader().getOpcode() == message.getHeader().getOpcode()
          && (m.getQuestion() == null || m.getQuestion().equals(message.getQuestion()));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Parses and checks a single-message answer: {@link #isAnsweredBy}, then its TSIG (required and
   * verified when this query was signed, refused when it was not).
   */
  Message verifiedAnswer(byte[] reply, String where) throws TransferException {
    Message m;
    try {
      m = new Message(reply);
    } catch (IOException | RuntimeException e) {
      throw new TransferException(where + ": malformed answer: " + e.getMessage(), e);
    }
    if (!isAnsweredBy(reply)) {
      throw new TransferException(where + ": the answer does not match the query");
    }
    TSIGRecord answerTsig = m.getTSIG();
    if (tsig == null) {
      if (answerTsig != null) {
        throw new TransferException(where + ": the answer is signed, but the query was not");
      }
      return m;
    }
    if (answerTsig == null) {
      throw new TransferException(
          where + ": the answer (" + Rcode.string(m.getRcode()) + ") is not signed");
    }
    if (answerTsig.getError() != Rcode.NOERROR) {
      throw new TransferException(
          where
              + ": the server rejected the TSIG: "
              + Rcode.TSIGstring(answerTsig.getError())
              + " (rcode "
              + Rcode.string(m.getRcode())
              + ")");
    }
    int result = tsig.verify(m, reply, queryTsig);
    if (result != Rcode.NOERROR) {
      throw new TransferException(
          where + ": the answer's TSIG does not verify: " + Rcode.TSIGstring(result));
    }
    return m;
  }
}
