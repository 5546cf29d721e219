package dev.vxdns.zone;

import java.util.Arrays;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A response written straight into wire form as the answer is found: records are copied from the
 * zone's packed bytes, names compressed as they are written, without a dnsjava {@code Message},
 * {@code Record} or {@code Name} per record.
 *
 * <p>Owner names and the names inside NS, CNAME, PTR, MX and SOA RDATA (the types dnsjava
 * compresses) are compressed against the names written before them, but only where the octets are
 * the same, case included, as BIND compresses: every name keeps the spelling of the zone (or of the
 * question, for the question), where case-insensitive compression would spell an owner as the
 * question did. A message larger than the limit is cut as dnsjava's {@link Message#toWire(int)}
 * cuts it, at an RRset boundary: an RRset of the answer or authority section that does not fit sets
 * TC and ends the message, one of the additional section ends that section quietly. The OPT record
 * always fits: its room is kept from the start.
 *
 * <p>Records go in section order (answer, authority, additional), as the answer algorithm finds
 * them. One response, one thread.
 */
public final class WireResponse {
  private static final int HEADER = 12;
  private static final int MAX_POINTER = 0x3FFF;
  private static final int AA = 1 << (15 - Flags.AA);
  private static final int TC = 1 << (15 - Flags.TC);
  private static final int[] A_THEN_AAAA = {Type.A, Type.AAAA};
  private static final int[] AAAA_THEN_A = {Type.AAAA, Type.A};

  // Sized for a typical answer; grown (doubled) for a larger one.
  private byte[] out = new byte[192];
  private int at;
  private int room;
  private byte[] opt;
  private int flags;
  private final int[] counts = new int[4];
  private int section = Section.ANSWER;
  // An answer or authority RRset did not fit: TC, and nothing more is written.
  private boolean truncated;
  // An additional RRset did not fit: the rest of that section is left out.
  private boolean additionalFull;
  // The client's address family's records come first among additional addresses.
  private boolean aaaaFirst;

  // Where each name suffix written as labels starts: the compression table.
  private int[] suffixes = new int[12];
  private int suffixCount;
  // The RRsets written, three ints each: section, type and where the owner name is.
  private int[] rrsets = new int[9];
  private int rrsetCount;

  // The RRset being written.
  private int rrsetStart;
  private int rrsetSuffixes;
  private byte[] rrsetOwnerName;
  private int rrsetOwnerOffset;
  // Where the owner name of its first record was written.
  private int rrsetOwner;
  private int rrsetType;
  private int rrsetRecords;
  private boolean rrsetOpen;
  private boolean wildcard;

  /**
   * Puts every AAAA record among the additional addresses before any A record (for a client over
   * IPv6), where a started response puts A first: named renders the client's family first, so an
   * answer too small for all of them gives more targets an address the client can use.
   */
  public WireResponse aaaaFirst() {
    aaaaFirst = true;
    return this;
  }

  /** The question's name was answered from a wildcard (RFC 4592): the rate limiter's account. */
  void fromWildcard() {
    wildcard = true;
  }

  /**
   * Whether the question's own name was answered from a wildcard (not a name an alias led to), as
   * BIND's rate limiter tells such answers apart.
   */
  public boolean isFromWildcard() {
    return wildcard;
  }

  /** The address types in the order additional addresses are added. */
  int[] addressOrder() {
    return aaaaFirst ? AAAA_THEN_A : A_THEN_AAAA;
  }

  /**
   * A response to be {@link #start started}: one per thread can answer query after query, its
   * buffers kept from one to the next (a query path that allocates only the message it sends).
   */
  public WireResponse() {}

  /**
   * A response at most {@code limit} octets long, started with its header and question ({@link
   * #start}).
   */
  public WireResponse(
      int id, int flags, byte[] qname, int qtype, int qclass, byte[] opt, int limit) {
    start(id, flags, qname, qtype, qclass, opt, limit);
  }

  /**
   * Starts this response over (whatever was written before is dropped): at most {@code limit}
   * octets long, with its header and question.
   *
   * @param id the request's id
   * @param flags the header's flags word (QR, opcode, RD, CD: {@code DnsResponses.responseFlags})
   * @param qname the question's name in wire form, or null for a response without a question
   * @param opt the response's OPT record in wire form, or null without EDNS
   * @return this response
   */
  public WireResponse start(
      int id, int flags, byte[] qname, int qtype, int qclass, byte[] opt, int limit) {
    this.flags = flags;
    this.opt = opt;
    this.room = limit - (opt == null ? 0 : opt.length);
    Arrays.fill(counts, 0);
    section = Section.ANSWER;
    truncated = false;
    additionalFull = false;
    aaaaFirst = false;
    wildcard = false;
    suffixCount = 0;
    rrsetCount = 0;
    rrsetOpen = false;
    rrsetOwnerName = null;
    put16(0, id);
    at = HEADER;
    if (qname != null) {
      name(qname, 0);
      u16(qtype);
      u16(qclass);
      counts[Section.QUESTION] = 1;
    }
    return this;
  }

  /**
   * A response with the header, question and OPT record of {@code skeleton} (as {@code
   * DnsResponses.responseTo} makes it), at most {@code limit} octets long: for callers off the
   * query path.
   */
  public static WireResponse of(Message skeleton, int limit) {
    Header header = skeleton.getHeader();
    int flags = (header.getOpcode() & 0xF) << 11 | header.getRcode() & 0xF;
    for (int flag = 0; flag < 16; flag++) {
      if (Flags.isFlag(flag) && header.getFlag(flag)) {
        flags |= 1 << (15 - flag);
      }
    }
    OPTRecord opt = skeleton.getOPT();
    Record question = skeleton.getQuestion();
    return new WireResponse(
        header.getID(),
        flags,
        question == null ? null : question.getName().toWire(),
        question == null ? 0 : question.getType(),
        question == null ? 0 : question.getDClass(),
        opt == null ? null : opt.toWire(Section.ADDITIONAL),
        limit);
  }

  /** Sets the header's rcode (0 to 15) and AA flag. */
  void finish(int rcode, boolean authoritative) {
    flags = (flags & ~0xF) | rcode & 0xF;
    flags = authoritative ? flags | AA : flags & ~AA;
  }

  /**
   * Starts an RRset owned by the wire name at {@code owner[offset]}. Sections must come in order;
   * the records follow with {@link #record}, then {@link #endRRset}.
   */
  void beginRRset(int section, byte[] owner, int offset, int type) {
    if (section < this.section) {
      throw new IllegalStateException(
          "section " + Section.string(section) + " after " + Section.string(this.section));
    }
    this.section = section;
    rrsetOpen = !truncated && !(section == Section.ADDITIONAL && additionalFull);
    if (!rrsetOpen) {
      return;
    }
    rrsetStart = at;
    rrsetSuffixes = suffixCount;
    rrsetType = type;
    rrsetRecords = 0;
    rrsetOwner = -1;
    rrsetOwnerName = owner;
    rrsetOwnerOffset = offset;
  }

  /** One record of the RRset begun: its class, TTL and uncompressed RDATA. */
  void record(int dclass, long ttl, byte[] rdata, int offset, int length) {
    if (!rrsetOpen) {
      return;
    }
    int ownerAt = at;
    name(rrsetOwnerName, rrsetOwnerOffset);
    if (rrsetOwner < 0) {
      rrsetOwner = ownerAt;
    }
    u16(rrsetType);
    u16(dclass);
    u16((int) (ttl >>> 16));
    u16((int) ttl);
    int lengthAt = at;
    u16(0);
    rdata(rdata, offset, length);
    put16(lengthAt, at - lengthAt - 2);
    rrsetRecords++;
    if (at > room) {
      // As dnsjava: back to the start of the RRset that does not fit.
      at = rrsetStart;
      suffixCount = rrsetSuffixes;
      rrsetOpen = false;
      if (section == Section.ADDITIONAL) {
        additionalFull = true;
      } else {
        truncated = true;
        flags |= TC;
      }
    }
  }

  /** Ends the RRset begun, counting it unless it did not fit. */
  void endRRset() {
    if (!rrsetOpen || rrsetRecords == 0) {
      rrsetOpen = false;
      return;
    }
    rrsetOpen = false;
    counts[section] += rrsetRecords;
    if (rrsetCount * 3 == rrsets.length) {
      rrsets = Arrays.copyOf(rrsets, rrsets.length * 2);
    }
    rrsets[rrsetCount * 3] = section;
    rrsets[rrsetCount * 3 + 1] = rrsetType;
    rrsets[rrsetCount * 3 + 2] = rrsetOwner;
    rrsetCount++;
  }

  /**
   * Whether an RRset of that type owned by the wire name at {@code name[offset]} (any case) is
   * written in {@code section}, or in any section after the question when {@code section} is -1.
   */
  boolean has(int section, byte[] name, int offset, int type) {
    for (int i = 0; i < rrsetCount; i++) {
      int written = rrsets[i * 3];
      if ((section < 0 || written == section)
          && rrsets[i * 3 + 1] == type
          && sameName(rrsets[i * 3 + 2], name, offset, true)) {
        return true;
      }
    }
    return false;
  }

  /** The finished message. */
  public byte[] toWire() {
    int additional = counts[Section.ADDITIONAL];
    byte[] wire = Arrays.copyOf(out, at + (opt == null ? 0 : opt.length));
    if (opt != null) {
      System.arraycopy(opt, 0, wire, at, opt.length);
      additional++;
    }
    wire[0] = out[0];
    wire[1] = out[1];
    put16(wire, 2, flags);
    put16(wire, 4, counts[Section.QUESTION]);
    put16(wire, 6, counts[Section.ANSWER]);
    put16(wire, 8, counts[Section.AUTHORITY]);
    put16(wire, 10, additional);
    return wire;
  }

  /** RDATA, with the names of the types dnsjava compresses compressed. */
  private void rdata(byte[] rdata, int offset, int length) {
    switch (rrsetType) {
      case Type.NS, Type.CNAME, Type.PTR -> name(rdata, offset);
      case Type.MX -> {
        bytes(rdata, offset, 2);
        name(rdata, offset + 2);
      }
      case Type.SOA -> {
        int admin = offset + WireNames.length(rdata, offset);
        int numbers = admin + WireNames.length(rdata, admin);
        name(rdata, offset);
        name(rdata, admin);
        bytes(rdata, numbers, offset + length - numbers);
      }
      default -> bytes(rdata, offset, length);
    }
  }

  /**
   * Writes the uncompressed wire name at {@code name[offset]}, each suffix a pointer to the same
   * suffix written before when there is one (as dnsjava's {@code Name.toWire}, but case-sensitive).
   * The name's own suffixes join the table once it is written whole: compared before, the octets
   * after its last label would be the previous message's, still in the reused buffer (a fuzzed name
   * of repeated labels was made to point into itself).
   */
  private void name(byte[] name, int offset) {
    int written = suffixCount;
    int label = offset;
    while (name[label] != 0) {
      int pointer = find(name, label);
      if (pointer >= 0) {
        u16(0xC000 | pointer);
        suffixCount = written;
        return;
      }
      if (at <= MAX_POINTER) {
        if (written == suffixes.length) {
          suffixes = Arrays.copyOf(suffixes, suffixes.length * 2);
        }
        suffixes[written++] = at;
      }
      int length = name[label] + 1;
      bytes(name, label, length);
      label += length;
    }
    ensure(1);
    out[at++] = 0;
    suffixCount = written;
  }

  private int find(byte[] name, int offset) {
    for (int i = 0; i < suffixCount; i++) {
      if (sameName(suffixes[i], name, offset, false)) {
        return suffixes[i];
      }
    }
    return -1;
  }

  /**
   * Whether the name written at {@code written} (pointers followed) is the wire name given, with or
   * without regard to case.
   */
  private boolean sameName(int written, byte[] name, int offset, boolean ignoreCase) {
    int p = written;
    int q = offset;
    while (true) {
      int length = out[p] & 0xFF;
      if ((length & 0xC0) == 0xC0) {
        p = (length & 0x3F) << 8 | out[p + 1] & 0xFF;
        continue;
      }
      if (length != name[q]) {
        return false;
      }
      if (length == 0) {
        return true;
      }
      if (ignoreCase
          ? !WireNames.equal(out, p + 1, name, q + 1, length)
          : !Arrays.equals(out, p + 1, p + 1 + length, name, q + 1, q + 1 + length)) {
        return false;
      }
      p += length + 1;
      q += length + 1;
    }
  }

  private void bytes(byte[] from, int offset, int length) {
    ensure(length);
    System.arraycopy(from, offset, out, at, length);
    at += length;
  }

  private void u16(int value) {
    ensure(2);
    put16(at, value);
    at += 2;
  }

  private void put16(int position, int value) {
    put16(out, position, value);
  }

  private static void put16(byte[] bytes, int position, int value) {
    bytes[position] = (byte) (value >>> 8);
    bytes[position + 1] = (byte) value;
  }

  private void ensure(int more) {
    if (at + more > out.length) {
      out = Arrays.copyOf(out, Math.max(out.length * 2, at + more));
    }
  }
}
