package dev.vxdns.secondary;

import dev.vxdns.zone.Serials;
import dev.vxdns.zone.ZoneDiff;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Reads the messages of one AXFR or IXFR response stream (RFC 5936, RFC 1995) in order and tells
 * when it is complete. It follows BIND's {@code xfrin.c} state machine: the first record is the
 * zone's SOA; an IXFR answer whose second record is the SOA of the requested serial is a sequence
 * of diffs, any other answer is a full zone; a full zone ends with an SOA identical to the first,
 * an IXFR with the first SOA's serial; nothing may follow the end. Every message must come from the
 * query (ID, QR, opcode, question) and, when the query was signed, carry a TSIG that verifies as
 * part of the stream (RFC 8945 section 5.3.1; unlike RFC 2845, no message may be unsigned).
 *
 * <p>Not thread-safe: one stream, read in order by one caller. It does no I/O.
 */
final class XfrReader {

  /** What the reader needs next. */
  enum Step {
    /** More messages are needed. */
    MORE,
    /** The stream is complete: see {@link #outcome()}. */
    DONE,
    /** The primary refused the IXFR (an error RCODE): ask again with AXFR, as BIND does. */
    RETRY_WITH_AXFR
  }

  /** What a complete stream says. */
  enum Kind {
    /** The primary's serial is not newer than the one asked about. */
    UP_TO_DATE,
    /** A whole zone (AXFR, or an IXFR answered with the full zone). */
    FULL,
    /** A sequence of diffs from the requested serial. */
    INCREMENTAL
  }

  /**
   * @param records the whole zone for FULL
   * @param diffs the diffs for INCREMENTAL, oldest first
   */
  record Outcome(Kind kind, List<Record> records, List<ZoneDiff> diffs) {}

  private enum State {
    INITIAL_SOA,
    FIRST_DATA,
    IXFR_DELETE_SOA,
    IXFR_DELETE,
    IXFR_ADD,
    AXFR,
    END
  }

  private final Name zone;
  private final int requestType;
  private final long requestSerial;
  private final int queryId;
  private final TSIG.StreamVerifier verifier;
  private final long maxRecords;
  private final String where;

  private State state = State.INITIAL_SOA;
  private Kind kind;
  private SOARecord firstSoa;
  private long records;
  private int messages;
  private final List<Record> full = new ArrayList<>();

  /** The records received so far (every message's answer section). */
  long records() {
    return records;
  }

  private final List<ZoneDiff> diffs = new ArrayList<>();
  private SOARecord diffFrom;
  private SOARecord diffTo;
  private List<Record> deleted;
  private List<Record> added;
  private long expectedFrom;

  /**
   * @param requestType Type.AXFR or Type.IXFR
   * @param requestSerial for IXFR, the serial in the query's authority section
   * @param tsig the key the query was signed with, or null for an unsigned query
   * @param queryTsig the query's TSIG record (null when unsigned)
   */
  XfrReader(
      Name zone,
      int requestType,
      long requestSerial,
      int queryId,
      TSIG tsig,
      TSIGRecord queryTsig,
      long maxRecords,
      String where) {
    this.zone = zone;
    this.requestType = requestType;
    this.requestSerial = requestSerial;
    this.queryId = queryId;
    this.verifier = tsig == null ? null : new TSIG.StreamVerifier(tsig, queryTsig);
    this.maxRecords = maxRecords;
    this.where = where;
    this.expectedFrom = requestSerial;
  }

  /** The result, once {@link #accept} returned DONE. */
  Outcome outcome() {
    if (state != State.END) {
      throw new IllegalStateException("the stream is not complete");
    }
    return new Outcome(kind, List.copyOf(full), List.copyOf(diffs));
  }

  /** Whether the answer was recognised as RFC 1995 diffs (BIND's {@code is_ixfr}). */
  boolean isIncremental() {
    return kind == Kind.INCREMENTAL;
  }

  /** How many messages have been read. */
  int messages() {
    return messages;
  }

  /**
   * Reads the next message of the stream.
   *
   * @param wire the message exactly as received (without the TCP length)
   * @throws TransferException when the message is malformed, unsigned or badly signed, answers
   *     another query, carries an error, or breaks the stream's structure
   */
  Step accept(byte[] wire) throws TransferException {
    if (state == State.END) {
      throw fail("data after the end of the transfer");
    }
    messages++;
    Message message = parse(wire);
    checkHeader(message);
    checkTsig(message, wire);
    int rcode = message.getRcode();
    if (rcode != Rcode.NOERROR || message.getHeader().getFlag(Flags.TC)) {
      String problem =
          message.getHeader().getFlag(Flags.TC)
              ? "a truncated answer"
              : Rcode.string(rcode) + " (message " + messages + ")";
      if (requestType == Type.IXFR && messages == 1) {
        return Step.RETRY_WITH_AXFR;
      }
      throw fail("the primary answered " + problem);
    }
    checkQuestion(message);
    if (requestType == Type.IXFR && messages == 1 && message.getSection(Section.ANSWER).isEmpty()) {
      // BIND: "empty answer section, retrying with AXFR" (a server that does not know IXFR).
      return Step.RETRY_WITH_AXFR;
    }
    for (Record record : message.getSection(Section.ANSWER)) {
      if (++records > maxRecords) {
        throw fail("more than " + maxRecords + " records");
      }
      checkRecord(record);
      read(record);
      if (kind == Kind.UP_TO_DATE) {
        return Step.DONE;
      }
    }
    return state == State.END ? Step.DONE : Step.MORE;
  }

  private Message parse(byte[] wire) throws TransferException {
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException e) {
      // dnsjava rejects some bad fields with unchecked exceptions.
      throw fail("message " + (messages) + " is malformed: " + e.getMessage());
    }
  }

  private void checkHeader(Message message) throws TransferException {
    if (message.getHeader().getID() != queryId) {
      throw fail("message " + messages + " has ID " + message.getHeader().getID());
    }
    if (!message.getHeader().getFlag(Flags.QR)) {
      throw fail("message " + messages + " is not a response");
    }
    if (message.getHeader().getOpcode() != Opcode.QUERY) {
      throw fail(
          "message " + messages + " has opcode " + Opcode.string(message.getHeader().getOpcode()));
    }
  }

  private void checkTsig(Message message, byte[] wire) throws TransferException {
    TSIGRecord tsig = message.getTSIG();
    if (verifier == null) {
      if (tsig != null) {
        throw fail("message " + messages + " is signed, but the query was not");
      }
      return;
    }
    if (tsig == null) {
      if (message.getRcode() != Rcode.NOERROR) {
        throw fail("the primary answered " + Rcode.string(message.getRcode()) + " unsigned");
      }
      throw fail("message " + messages + " is not signed");
    }
    if (tsig.getError() != Rcode.NOERROR) {
      throw fail(
          "the primary rejected the query's TSIG: "
              + Rcode.TSIGstring(tsig.getError())
              + " (rcode "
              + Rcode.string(message.getRcode())
              + ")");
    }
    int result = verifier.verify(message, wire, false);
    if (result != Rcode.NOERROR) {
      throw fail(
          "the TSIG of message "
              + messages
              + " does not verify: "
              + Rcode.TSIGstring(result)
              + (verifier.getErrorMessage() != null
                  ? " (" + verifier.getErrorMessage() + ")"
                  : ""));
    }
  }

  private void checkQuestion(Message message) throws TransferException {
    List<Record> questions = message.getSection(Section.QUESTION);
    if (questions.size() > 1) {
      throw fail("message " + messages + " has " + questions.size() + " questions");
    }
    if (questions.isEmpty()) {
      // RFC 5936 section 2.2.1: later messages may leave the question out; the first may not.
      if (messages == 1) {
        throw fail("the first message has no question");
      }
      return;
    }
    Record question = questions.get(0);
    if (!question.getName().equals(zone)
        || question.getType() != requestType
        || question.getDClass() != DClass.IN) {
      throw fail("message " + messages + " answers another question: " + question);
    }
  }

  private void checkRecord(Record record) throws TransferException {
    if (record.getDClass() != DClass.IN) {
      throw fail("record of class " + DClass.string(record.getDClass()) + ": " + record);
    }
    if (!record.getName().subdomain(zone)) {
      throw fail("record outside the zone: " + record);
    }
    if (!Type.isRR(record.getType())) {
      throw fail("meta-type record in the answer: " + record);
    }
  }

  private void read(Record record) throws TransferException {
    boolean soa = record.getType() == Type.SOA;
    switch (state) {
      case INITIAL_SOA:
        if (!soa || !record.getName().equals(zone)) {
          throw fail("the first record is not the zone's SOA: " + record);
        }
        firstSoa = (SOARecord) record;
        if (requestType == Type.IXFR && !Serials.isNewer(firstSoa.getSerial(), requestSerial)) {
          kind = Kind.UP_TO_DATE;
          state = State.END;
          return;
        }
        state = State.FIRST_DATA;
        return;
      case FIRST_DATA:
        if (requestType == Type.IXFR && soa && serial(record) == requestSerial) {
          kind = Kind.INCREMENTAL;
          state = State.IXFR_DELETE_SOA;
        } else {
          kind = Kind.FULL;
          full.add(firstSoa);
          state = State.AXFR;
        }
        read(record);
        return;
      case IXFR_DELETE_SOA:
        if (!soa || !record.getName().equals(zone)) {
          throw fail("an IXFR diff does not start with the zone's SOA: " + record);
        }
        if (serial(record) != expectedFrom) {
          throw fail(
              "an IXFR diff starts at serial " + serial(record) + ", expected " + expectedFrom);
        }
        diffFrom = (SOARecord) record;
        deleted = new ArrayList<>();
        added = new ArrayList<>();
        state = State.IXFR_DELETE;
        return;
      case IXFR_DELETE:
        if (soa) {
          if (!record.getName().equals(zone)) {
            throw fail("an SOA outside the apex: " + record);
          }
          diffTo = (SOARecord) record;
          state = State.IXFR_ADD;
        } else {
          deleted.add(record);
        }
        return;
      case IXFR_ADD:
        if (!soa) {
          added.add(record);
          return;
        }
        diffs.add(new ZoneDiff(diffFrom, diffTo, deleted, added));
        expectedFrom = diffTo.getSerial();
        if (serial(record) == firstSoa.getSerial()) {
          if (diffTo.getSerial() != firstSoa.getSerial()) {
            throw fail("the IXFR ends before reaching serial " + firstSoa.getSerial());
          }
          state = State.END;
        } else {
          state = State.IXFR_DELETE_SOA;
          read(record);
        }
        return;
      case AXFR:
        if (soa) {
          // BIND compares the rdata (dns_rdata_compare), not the TTL.
          if (!record.getName().equals(zone) || !record.equals(firstSoa)) {
            throw fail(
                "start and ending SOA records mismatch: " + firstSoa + " and then " + record);
          }
          state = State.END;
        } else {
          full.add(record);
        }
        return;
      case END:
      default:
        throw fail("data after the end of the transfer: " + record);
    }
  }

  private static long serial(Record soa) {
    return ((SOARecord) soa).getSerial();
  }

  private TransferException fail(String problem) {
    return new TransferException(where + ": " + problem);
  }
}
