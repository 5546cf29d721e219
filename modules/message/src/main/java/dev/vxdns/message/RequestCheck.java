package dev.vxdns.message;

import static dev.vxdns.message.ParsedRequest.u16;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Header;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

/**
 * What BIND 9.20's message parser ({@code dns_message_parse}, lib/dns/message.c) makes of a
 * request's bytes, so that a request it refuses is refused here the same way and answered in the
 * same shape: whether the question was read before the fault (BIND echoes it), and whether the
 * fault was an EDNS option BIND rejects ({@code DNS_R_OPTERR}: the FORMERR carries an OPT record).
 * Only the structure is walked here (names, counts, record placement, classes, OPT options); the
 * RDATA of other records is left to dnsjava's parse, which follows.
 */
final class RequestCheck {
  private RequestCheck() {}

  /** How a request's bytes fare in BIND's parser. */
  enum Parse {
    OK,
    /** FORMERR without an OPT record. */
    MALFORMED,
    /** An EDNS option of a bad length or content: FORMERR with an OPT record. */
    BAD_OPTION
  }

  /**
   * The walk's result.
   *
   * @param questionsRead the questions read whole: all of them once the section was read (BIND's
   *     {@code question_ok}), else those before the fault
   * @param messageClass the class of the first question, else of the first record that sets it; -1
   *     when none did (BIND's class 0)
   * @param tkey whether a question asks for TKEY (class ANY is then allowed)
   */
  record Walk(Parse parse, int questionsRead, int messageClass, boolean tkey) {
    /**
     * The questions BIND's FORMERR repeats: all once the section was read; after a fault in it, an
     * UPDATE's zone entries read whole (BIND keeps an UPDATE's zone section as parsed), else none.
     */
    int questionsToEcho(byte[] wire) {
      boolean questionOk = questionsRead == u16(wire, 4);
      return questionOk || ParsedRequest.opcode(wire) == Opcode.UPDATE ? questionsRead : 0;
    }
  }

  private static final int OPT_LLQ = 1;
  private static final int OPT_UL = 2;
  private static final int OPT_ECS = 8;
  private static final int OPT_EXPIRE = 9;
  private static final int OPT_COOKIE = 10;
  private static final int OPT_KEY_TAG = 14;
  private static final int OPT_EDE = 15;
  private static final int OPT_CLIENT_TAG = 16;
  private static final int OPT_SERVER_TAG = 17;

  /** Walks a request of at least a header's length as BIND's parser does. */
  static Walk walk(byte[] wire) {
    int opcode = ParsedRequest.opcode(wire);
    boolean update = opcode == Opcode.UPDATE;
    boolean zoneOpcode = update || opcode == Opcode.NOTIFY;
    int at = Header.LENGTH;
    int messageClass = -1;
    boolean tkey = false;
    byte[] owner = null;
    Set<Integer> questions = new HashSet<>();
    for (int i = 0; i < u16(wire, 4); i++) {
      Name name = readName(wire, at);
      if (name == null) {
        return new Walk(Parse.MALFORMED, i, messageClass, tkey);
      }
      at = name.end();
      // One owner name only; the same name may ask for several types.
      if (owner != null && !Arrays.equals(owner, name.lower())) {
        return new Walk(Parse.MALFORMED, i, messageClass, tkey);
      }
      owner = name.lower();
      if (at + 4 > wire.length) {
        return new Walk(Parse.MALFORMED, i, messageClass, tkey);
      }
      int type = u16(wire, at);
      int dclass = u16(wire, at + 2);
      at += 4;
      if ((zoneOpcode && (dclass == DClass.NONE || dclass == DClass.ANY))
          || (messageClass >= 0 && messageClass != dclass)
          || !questions.add(type)) {
        return new Walk(Parse.MALFORMED, i, messageClass, tkey);
      }
      messageClass = dclass;
      tkey |= type == Type.TKEY;
    }
    boolean sawOpt = false;
    for (int section = 1; section <= 3; section++) {
      int count = u16(wire, 4 + 2 * section);
      for (int i = 0; i < count; i++) {
        Name name = readName(wire, at);
        if (name == null || name.end() + 10 > wire.length) {
          return new Walk(Parse.MALFORMED, questions.size(), messageClass, tkey);
        }
        at = name.end();
        int type = u16(wire, at);
        int dclass = u16(wire, at + 2);
        int length = u16(wire, at + 8);
        at += 10;
        if (messageClass < 0 && type != Type.OPT && type != Type.TSIG && type != Type.TKEY) {
          messageClass = dclass;
        }
        boolean otherClass = messageClass != DClass.ANY && messageClass != dclass;
        boolean last = section == 3 && i == count - 1;
        boolean misplaced =
            switch (type) {
              case Type.TSIG -> !last || dclass != DClass.ANY;
              case Type.OPT -> name.lower().length != 1 || section != 3 || sawOpt;
              case Type.TKEY -> section == 2;
              case Type.KEY -> !update && !tkey && otherClass;
              case Type.SIG -> false;
              default -> !update && otherClass;
            };
        if (misplaced
            || at + length > wire.length
            || (update && updateWithoutRdata(section, dclass) && length != 0)) {
          return new Walk(Parse.MALFORMED, questions.size(), messageClass, tkey);
        }
        if (type == Type.OPT) {
          sawOpt = true;
          Parse options = options(wire, at, at + length);
          if (options != Parse.OK) {
            return new Walk(options, questions.size(), messageClass, tkey);
          }
        } else if (!update && type >= Type.IXFR && type <= Type.ANY) {
          // A type that only a question may carry.
          return new Walk(Parse.MALFORMED, questions.size(), messageClass, tkey);
        }
        at += length;
      }
    }
    // Octets after the last record are ignored, as BIND does.
    return new Walk(Parse.OK, questions.size(), messageClass, tkey);
  }

  /** RFC 2136's records that carry no RDATA: prerequisites of class ANY or NONE, deletions. */
  private static boolean updateWithoutRdata(int section, int dclass) {
    return section == 1
        ? dclass == DClass.ANY || dclass == DClass.NONE
        : section == 2 && dclass == DClass.ANY;
  }

  /**
   * The options of an OPT record's RDATA as BIND reads them ({@code fromwire_opt}): an option
   * running past the RDATA is malformed; one of a known code with a length or content BIND does not
   * accept is a bad option.
   */
  static Parse options(byte[] wire, int from, int to) {
    int at = from;
    while (at < to) {
      if (at + 4 > to) {
        return Parse.MALFORMED;
      }
      int code = u16(wire, at);
      int length = u16(wire, at + 2);
      at += 4;
      if (at + length > to) {
        return Parse.MALFORMED;
      }
      boolean good =
          switch (code) {
            case OPT_LLQ -> length == 18;
            case OPT_UL -> length == 4 || length == 8;
            case OPT_ECS -> isClientSubnet(wire, at, length);
            case OPT_EXPIRE -> length == 0 || length == 4;
            case OPT_COOKIE -> length == 8 || (length >= 16 && length <= 40);
            case OPT_KEY_TAG -> length > 0 && length % 2 == 0;
            case OPT_EDE -> length >= 2;
            case OPT_CLIENT_TAG, OPT_SERVER_TAG -> length == 2;
            default -> true;
          };
      if (!good) {
        return Parse.BAD_OPTION;
      }
      at += length;
    }
    return Parse.OK;
  }

  /**
   * An EDNS Client Subnet option BIND's parser accepts (RFC 7871 §6): a known family, prefix
   * lengths within it, exactly the address octets the source prefix needs, no bits set past it.
   */
  private static boolean isClientSubnet(byte[] wire, int at, int length) {
    if (length < 4) {
      return false;
    }
    int family = u16(wire, at);
    int source = wire[at + 2] & 0xFF;
    int scope = wire[at + 3] & 0xFF;
    int bits =
        switch (family) {
          case 0 -> 0;
          case 1 -> 32;
          case 2 -> 128;
          default -> -1;
        };
    if (bits < 0 || source > bits || scope > bits) {
      return false;
    }
    int octets = (source + 7) / 8;
    if (octets + 4 != length) {
      return false;
    }
    return source % 8 == 0 || (wire[at + 4 + octets - 1] & (0xFF >> (source % 8))) == 0;
  }

  /** A name as read: where it ends in the message, and its labels in lower case. */
  private record Name(int end, byte[] lower) {}

  /**
   * The name at {@code at} as BIND's {@code dns_name_fromwire} reads it: pointers only to octets
   * before the last place read from, at most 255 octets expanded, no other label types; null when
   * it breaks one of these or runs past the message.
   */
  private static Name readName(byte[] wire, int at) {
    byte[] lower = new byte[255];
    int length = 0;
    int cursor = at;
    int marker = at;
    int end = -1;
    while (cursor < wire.length) {
      int label = wire[cursor++] & 0xFF;
      if (label <= 63) {
        if (length + label + 1 > 255 || cursor + label > wire.length) {
          return null;
        }
        lower[length++] = (byte) label;
        for (int i = 0; i < label; i++) {
          byte octet = wire[cursor + i];
          lower[length++] = octet >= 'A' && octet <= 'Z' ? (byte) (octet + 32) : octet;
        }
        cursor += label;
        if (label == 0) {
          return new Name(end < 0 ? cursor : end, Arrays.copyOf(lower, length));
        }
      } else if (label < 192 || cursor >= wire.length) {
        return null;
      } else {
        int pointer = (label & 0x3F) << 8 | (wire[cursor++] & 0xFF);
        if (pointer >= marker) {
          return null;
        }
        end = end < 0 ? cursor : end;
        cursor = marker = pointer;
      }
    }
    return null;
  }
}
