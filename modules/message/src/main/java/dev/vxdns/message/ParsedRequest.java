package dev.vxdns.message;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A query as every stage reads it, taken from its bytes once: the header, the question, the OPT
 * record and whether it ends with a signature. The dnsjava {@link Message} is made only when a
 * stage asks for it ({@link #message()}): the common query (one question, at most an OPT record) is
 * answered without one, which was a third of what the query path allocated.
 *
 * <p>Immutable; the message it makes is shared, and a caller that changes it clones it first.
 */
public final class ParsedRequest {
  private final byte[] wire;
  private final byte[] questionName;
  private final int questionType;
  private final int questionClass;
  private final OPTRecord opt;
  private final boolean signed;
  // Parsed on first use when the bytes were read without dnsjava; exchanges cross threads over
  // the event bus, hence volatile.
  private volatile Message message;

  private ParsedRequest(
      byte[] wire,
      byte[] questionName,
      int questionType,
      int questionClass,
      OPTRecord opt,
      boolean signed,
      Message message) {
    this.wire = wire;
    this.questionName = questionName;
    this.questionType = questionType;
    this.questionClass = questionClass;
    this.opt = opt;
    this.signed = signed;
    this.message = message;
  }

  /**
   * {@code wire} read: without dnsjava when it is a query of the common shape, else parsed whole.
   *
   * @throws IOException when dnsjava cannot parse it (the caller answers FORMERR)
   */
  static ParsedRequest parse(byte[] wire) throws IOException {
    ParsedRequest simple = simple(wire);
    return simple != null ? simple : of(new Message(wire), wire);
  }

  /** {@code message} as parsed from {@code wire}; null for no message. */
  static ParsedRequest of(Message message, byte[] wire) {
    if (message == null) {
      return null;
    }
    Record question = message.getQuestion();
    List<Record> additional = message.getSection(Section.ADDITIONAL);
    return new ParsedRequest(
        wire,
        question == null ? null : questionName(question, wire),
        question == null ? -1 : question.getType(),
        question == null ? -1 : question.getDClass(),
        message.getOPT(),
        !additional.isEmpty() && isSignature(additional.get(additional.size() - 1)),
        message);
  }

  /**
   * The common query read straight from its bytes, or null for any other shape (the caller parses
   * it whole, so what dnsjava accepts and rejects stays the rule): not a response, TC clear, one
   * question with an uncompressed name, nothing else but one OPT record owned by the root, no octet
   * after it. The OPT record itself is parsed by dnsjava, options included.
   */
  static ParsedRequest simple(byte[] wire) {
    int nameEnd = commonQuestionEnd(wire);
    if (nameEnd < 0) {
      return null;
    }
    int type = u16(wire, nameEnd);
    int dclass = u16(wire, nameEnd + 2);
    if ((dclass == DClass.NONE || dclass == DClass.ANY) && opcode(wire) != Opcode.QUERY) {
      // A zone section of class NONE or ANY: BIND's parser refuses it (RequestCheck).
      return null;
    }
    int end = nameEnd + 4;
    OPTRecord opt = null;
    if (u16(wire, 10) == 1) {
      int optEnd = optEnd(wire, end);
      if (optEnd < 0) {
        return null;
      }
      if (optEnd == end + 11) {
        // No options, as many queries carry: the record dnsjava would read, made directly. Its
        // class is the UDP payload size; its TTL holds the extended rcode, version and flags.
        opt =
            new OPTRecord(
                u16(wire, end + 3), wire[end + 5] & 0xFF, wire[end + 6] & 0xFF, u16(wire, end + 7));
      } else {
        // Options BIND refuses, or dnsjava cannot read: the caller parses the whole and answers.
        opt =
            RequestCheck.options(wire, end + 11, optEnd) == RequestCheck.Parse.OK
                ? readOpt(wire, end, optEnd)
                : null;
        if (opt == null) {
          return null;
        }
      }
    } else if (end != wire.length) {
      return null;
    }
    return new ParsedRequest(
        wire, Arrays.copyOfRange(wire, Header.LENGTH, nameEnd), type, dclass, opt, false, null);
  }

  /**
   * Where the question ends in a query of the common shape (not a response, TC clear, one question
   * with an uncompressed name, no answer or authority records, at most one additional record), or
   * -1.
   */
  private static int commonQuestionEnd(byte[] wire) {
    if (wire.length < Header.LENGTH
        || (wire[2] & 0x80) != 0
        || (wire[2] & 0x02) != 0
        || u16(wire, 4) != 1
        || u16(wire, 6) != 0
        || u16(wire, 8) != 0
        || u16(wire, 10) > 1) {
      return -1;
    }
    int nameEnd = questionNameEnd(wire);
    if (nameEnd < 0 || nameEnd - Header.LENGTH > 255 || nameEnd + 4 > wire.length) {
      return -1;
    }
    return nameEnd;
  }

  /**
   * Where the OPT record at {@code at} ends when it is one (the root owner, OPT, class, TTL, RDATA
   * length) and the message's last octet; -1 otherwise.
   */
  private static int optEnd(byte[] wire, int at) {
    if (at + 11 > wire.length || wire[at] != 0 || u16(wire, at + 1) != Type.OPT) {
      return -1;
    }
    int optEnd = at + 11 + u16(wire, at + 9);
    return optEnd == wire.length ? optEnd : -1;
  }

  /** The OPT record with its options, parsed by dnsjava; null when they do not parse. */
  private static OPTRecord readOpt(byte[] wire, int at, int optEnd) {
    try {
      return (OPTRecord) Record.fromWire(Arrays.copyOfRange(wire, at, optEnd), Section.ADDITIONAL);
    } catch (IOException | RuntimeException malformed) {
      return null;
    }
  }

  /** The dnsjava message; parsed from the bytes on first use. */
  public Message message() {
    Message parsed = message;
    if (parsed == null) {
      try {
        parsed = new Message(wire);
      } catch (IOException e) {
        throw new IllegalStateException("a query read as well formed does not parse", e);
      }
      message = parsed;
    }
    return parsed;
  }

  /** The message if one was made yet (tests: a common query is answered without one). */
  Message messageIfParsed() {
    return message;
  }

  /** The OPT record, or null without EDNS. */
  public OPTRecord opt() {
    return opt;
  }

  /**
   * The question's name in wire form, as the query spells it (for lookups without a dnsjava name);
   * null without a question.
   */
  public byte[] questionName() {
    return questionName;
  }

  /** The question's type, or -1 without a question. */
  public int questionType() {
    return questionType;
  }

  /** The question's class, or -1 without a question. */
  public int questionClass() {
    return questionClass;
  }

  /** The header's ID. */
  public int id() {
    return u16(wire, 0);
  }

  /** The header's opcode. */
  public int opcode() {
    return opcode(wire);
  }

  /** The opcode in the header of a message's bytes (at least its first three octets). */
  public static int opcode(byte[] wire) {
    return (wire[2] >> 3) & 0x0F;
  }

  /** Whether the header has {@code flag} ({@link Flags}: a bit of the header's second word). */
  public boolean hasFlag(int flag) {
    return (u16(wire, 2) & 1 << (15 - flag)) != 0;
  }

  /** Whether the last record is a TSIG or a SIG(0) (where a signature must be, RFC 8945 §5.1). */
  public boolean isSigned() {
    return signed;
  }

  /** Whether {@code record} is a transaction signature: TSIG, or SIG(0) (type covered 0). */
  static boolean isSignature(Record record) {
    return record.getType() == Type.TSIG
        || (record instanceof SIGRecord sig && sig.getTypeCovered() == 0);
  }

  /**
   * The question's name as the bytes spell it (a query's question name follows the header,
   * uncompressed); dnsjava renders it only for a question that points elsewhere.
   */
  private static byte[] questionName(Record question, byte[] wire) {
    int end = questionNameEnd(wire);
    return end < 0 ? question.getName().toWire() : Arrays.copyOfRange(wire, Header.LENGTH, end);
  }

  /**
   * Where the question's name ends (past its root octet) when the bytes spell it out after the
   * header; -1 when it is compressed, has another label type, or runs past the bytes.
   */
  private static int questionNameEnd(byte[] wire) {
    for (int at = Header.LENGTH; at < wire.length; at += 1 + (wire[at] & 0xFF)) {
      int length = wire[at] & 0xFF;
      if (length == 0) {
        return at + 1;
      }
      if (length > 63) {
        return -1;
      }
    }
    return -1;
  }

  /** The 16-bit big-endian number at {@code at}. */
  static int u16(byte[] wire, int at) {
    return (wire[at] & 0xFF) << 8 | wire[at + 1] & 0xFF;
  }
}
