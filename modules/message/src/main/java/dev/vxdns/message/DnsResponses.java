package dev.vxdns.message;

import static dev.vxdns.message.ParsedRequest.u16;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Builds and renders responses the same way for every stage: header, EDNS, errors, truncation. */
public final class DnsResponses {
  /** RFC 1035's limit for a UDP response to a query without EDNS. */
  public static final int CLASSIC_UDP_SIZE = 512;

  /** The DNS Flag Day 2020 default for the largest UDP response (BIND's max-udp-size). */
  public static final int DEFAULT_MAX_UDP_SIZE = 1232;

  public static final int STREAM_MESSAGE_LIMIT = 65535;

  /**
   * What a response's COOKIE option takes (RFC 7873: code, length, 8-octet client and 16-octet
   * server cookie), which the auth stage adds on the way back when the query carried a cookie.
   */
  public static final int COOKIE_OPTION_ROOM = 4 + 8 + 16;

  /** RFC 8467 §4.1: servers pad responses to a multiple of 468 octets. */
  public static final int RESPONSE_PADDING_BLOCK = 468;

  private DnsResponses() {}

  /**
   * A response skeleton: the request's id, opcode, RD and CD, its question, and an OPT record
   * advertising {@code udpSize} when the request carried EDNS (DO echoed, version 0).
   */
  public static Message responseTo(Message request, int udpSize) {
    return responseTo(request, request.getOPT(), udpSize);
  }

  /** Like {@link #responseTo(Message, int)}, given the request's OPT record (null: none). */
  public static Message responseTo(Message request, OPTRecord requestOpt, int udpSize) {
    Header requestHeader = request.getHeader();
    Message response = new Message(requestHeader.getID());
    Header header = response.getHeader();
    int flags = responseFlags(requestHeader);
    setFlags(header, flags);
    if (echoesQuestion(requestHeader.getOpcode())) {
      for (Record question : request.getSection(Section.QUESTION)) {
        response.addRecord(question, Section.QUESTION);
      }
    }
    OPTRecord opt = responseOpt(requestOpt, udpSize);
    if (opt != null) {
      response.addRecord(opt, Section.ADDITIONAL);
    }
    return response;
  }

  /**
   * The header flags word (RFC 1035 §4.1.1) of a response to a request with this header: QR set,
   * the request's opcode, RD and CD (RFC 4035 §3.2.2) copied, everything else clear. What {@link
   * #responseTo} sets, for a stage that writes its response in wire form itself.
   */
  public static int responseFlags(Header request) {
    return responseFlags(request.getOpcode(), request.getFlag(Flags.RD), request.getFlag(Flags.CD));
  }

  /** Like {@link #responseFlags(Header)}, for a query read without dnsjava. */
  public static int responseFlags(ParsedRequest request) {
    return responseFlags(request.opcode(), request.hasFlag(Flags.RD), request.hasFlag(Flags.CD));
  }

  private static int responseFlags(int opcode, boolean rd, boolean cd) {
    // As BIND's dns_message_reply: only a QUERY's response keeps RD and CD.
    boolean query = opcode == Opcode.QUERY;
    return 1 << 15
        | (opcode & 0x0F) << 11
        | (query && rd ? 1 << (15 - Flags.RD) : 0)
        | (query && cd ? 1 << (15 - Flags.CD) : 0);
  }

  /** Sets the opcode and the flags of a header's second word ({@link #responseFlags}). */
  private static void setFlags(Header header, int flags) {
    header.setOpcode(flags >>> 11 & 0x0F);
    for (int flag = 0; flag < 16; flag++) {
      if (Flags.isFlag(flag) && (flags & 1 << (15 - flag)) != 0) {
        header.setFlag(flag);
      }
    }
  }

  /**
   * Whether a response to {@code opcode} repeats the request's question (or zone) section: QUERY,
   * NOTIFY and UPDATE do; BIND answers any other opcode with the header alone.
   */
  static boolean echoesQuestion(int opcode) {
    return opcode == Opcode.QUERY || opcode == Opcode.NOTIFY || opcode == Opcode.UPDATE;
  }

  /**
   * The OPT record of a response to a request with {@code requestOpt}: null when the request had
   * none, else {@code udpSize} advertised, DO echoed, version 0.
   */
  public static OPTRecord responseOpt(OPTRecord requestOpt, int udpSize) {
    if (requestOpt == null) {
      return null;
    }
    int flags = requestOpt.getFlags() & ExtendedFlags.DO;
    EDNSOption subnet = clientSubnetEcho(requestOpt);
    return subnet == null
        ? new OPTRecord(udpSize, 0, 0, flags)
        : new OPTRecord(udpSize, 0, 0, flags, List.of(subnet));
  }

  /**
   * The request's first Client Subnet option as a response carries it back (RFC 7871 §7.2.1, as
   * BIND does): the same family, source prefix and address, scope 0 (the answer is the same for
   * every client); null without one, or for a request of another EDNS version.
   */
  static EDNSOption clientSubnetEcho(OPTRecord requestOpt) {
    List<EDNSOption> subnets = requestOpt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
    // An EDNS version this server does not speak (BADVERS): its options are not read.
    if (requestOpt.getVersion() != 0
        || subnets.isEmpty()
        || !(subnets.get(0) instanceof ClientSubnetOption subnet)) {
      return null;
    }
    return new ClientSubnetOption(subnet.getSourcePrefixLength(), 0, subnet.getAddress());
  }

  /** An error response; rcodes above 15 (BADVERS...) go into the OPT record's extended rcode. */
  public static Message error(Message request, int rcode, int udpSize) {
    Message response = responseTo(request, udpSize);
    setRcode(response, rcode);
    return response;
  }

  /** An error response carrying an Extended DNS Error (RFC 8914) when the client speaks EDNS. */
  public static Message error(
      Message request, int rcode, int udpSize, int edeCode, String edeText) {
    Message response = error(request, rcode, udpSize);
    addExtendedError(response, edeCode, edeText);
    return response;
  }

  /**
   * FORMERR for bytes that do not parse as a message, from the header's id, opcode, RD and CD; with
   * the first {@code questions} questions when the opcode echoes them; with an OPT record
   * advertising {@code udpSize} when it is above 0 (an EDNS option BIND rejects: the client speaks
   * EDNS, RFC 6891 §7).
   */
  public static Message formErr(byte[] query, int questions, int udpSize) {
    Message response = new Message(u16(query, 0));
    Header header = response.getHeader();
    int flags =
        responseFlags(ParsedRequest.opcode(query), (query[2] & 0x01) != 0, (query[3] & 0x10) != 0);
    setFlags(header, flags);
    header.setRcode(org.xbill.DNS.Rcode.FORMERR);
    if (echoesQuestion(ParsedRequest.opcode(query))) {
      DNSInput in = new DNSInput(query);
      try {
        in.jump(Header.LENGTH);
        for (int i = 0; i < questions; i++) {
          Name name = new Name(in);
          response.addRecord(Record.newRecord(name, in.readU16(), in.readU16()), Section.QUESTION);
        }
      } catch (IOException | RuntimeException unreadable) {
        response.removeAllRecords(Section.QUESTION);
      }
    }
    if (udpSize > 0) {
      response.addRecord(new OPTRecord(udpSize, 0, 0), Section.ADDITIONAL);
    }
    return response;
  }

  /** Sets a 12-bit rcode: the low 4 bits in the header, the high 8 in the OPT record. */
  public static void setRcode(Message response, int rcode) {
    response.getHeader().setRcode(rcode & 0x0F);
    OPTRecord opt = response.getOPT();
    if (opt != null) {
      replaceOpt(
          response,
          new OPTRecord(
              opt.getPayloadSize(),
              rcode >>> 4,
              opt.getVersion(),
              opt.getFlags(),
              opt.getOptions()));
    }
  }

  /**
   * Adds an Extended DNS Error; does nothing when the response has no OPT (the client sent no
   * EDNS).
   */
  public static void addExtendedError(Message response, int code, String text) {
    addOption(response, new ExtendedErrorCodeOption(code, text));
  }

  /** Adds an EDNS option to the response's OPT record; does nothing without one. */
  public static void addOption(Message response, EDNSOption option) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return;
    }
    List<EDNSOption> options = new ArrayList<>(opt.getOptions());
    options.add(option);
    replaceOpt(
        response,
        new OPTRecord(
            opt.getPayloadSize(),
            opt.getExtendedRcode(),
            opt.getVersion(),
            opt.getFlags(),
            options));
  }

  /**
   * The largest UDP response for this request: 512 without EDNS, otherwise the client's advertised
   * size clamped to [512, maxUdpSize].
   */
  public static int udpLimit(Message request, int maxUdpSize) {
    return udpLimitFor(request == null ? null : request.getOPT(), maxUdpSize);
  }

  /** Like {@link #udpLimit(Message, int)}, given the request's OPT record (null: none). */
  public static int udpLimitFor(OPTRecord opt, int maxUdpSize) {
    if (opt == null) {
      return CLASSIC_UDP_SIZE;
    }
    return Math.max(CLASSIC_UDP_SIZE, Math.min(opt.getPayloadSize(), maxUdpSize));
  }

  /**
   * Wire form of a response for a transport: on UDP truncated at an RRset boundary with TC set when
   * it does not fit (dnsjava's {@link Message#toWire(int)} keeps the OPT record); on streams whole.
   */
  public static byte[] render(
      Message response, Message request, Transport transport, int maxUdpSize) {
    return response.toWire(sizeLimit(request, transport, maxUdpSize));
  }

  /**
   * The bytes to send for a finished exchange: its final wire form if a stage made one, else
   * rendered.
   */
  public static byte[] render(DnsExchange answered, int maxUdpSize) {
    if (answered.reply().wire() != null) {
      return answered.reply().wire();
    }
    return answered.reply().response().toWire(sizeLimit(answered, maxUdpSize));
  }

  /**
   * The room a stage that renders its answer itself has ({@link DnsExchange#respondRendered}): the
   * {@link #sizeLimit}, less the COOKIE option the way back adds to a UDP response when the query
   * carried one, as BIND reserves the OPT record's room before it renders the sections. Only when
   * the auth stage asked for the way back: with cookies off ({@code answer-cookie false}, or no
   * auth stage) nothing is added, and BIND reserves nothing either. (A TSIG-signed query with a
   * cookie asks for the way back for its signature: then 28 octets stay unused.)
   */
  public static int answerLimit(DnsExchange exchange, int maxUdpSize) {
    int limit = sizeLimit(exchange, maxUdpSize);
    OPTRecord opt = exchange.requestOpt();
    return limit == STREAM_MESSAGE_LIMIT
            || opt == null
            || !exchange.reply().steps().contains(Addresses.AUTH)
            || opt.getOptions(EDNSOption.Code.COOKIE).isEmpty()
        ? limit
        : limit - COOKIE_OPTION_ROOM;
  }

  /**
   * The largest response to the exchange's request on its transport: {@link #udpLimit} on UDP,
   * 65535 on streams.
   */
  public static int sizeLimit(DnsExchange exchange, int maxUdpSize) {
    return sizeLimitFor(exchange.requestOpt(), exchange.endpoints().transport(), maxUdpSize);
  }

  /**
   * The largest response for a request on a transport: {@link #udpLimit} on UDP, 65535 on streams.
   */
  public static int sizeLimit(Message request, Transport transport, int maxUdpSize) {
    return sizeLimitFor(request == null ? null : request.getOPT(), transport, maxUdpSize);
  }

  /** Like {@link #sizeLimit}, given the request's OPT record (null: none). */
  private static int sizeLimitFor(OPTRecord requestOpt, Transport transport, int maxUdpSize) {
    return transport.isDatagram() ? udpLimitFor(requestOpt, maxUdpSize) : STREAM_MESSAGE_LIMIT;
  }

  /**
   * The answered exchange with these EDNS options in its response's OPT record, each replacing an
   * option with its code already there (a backend's cookie in a forwarded answer), padding kept
   * last and the padded length kept; unchanged without an OPT record. A response a stage rendered
   * itself gets them in its bytes when they fit {@code sizeLimit} ({@link #withOption}); any other
   * is changed as a message, and rendered, truncated if it must be, at the transport's limit.
   */
  public static DnsExchange withOptions(
      DnsExchange answered, List<EDNSOption> options, int sizeLimit) {
    byte[] wire = answered.reply().wire();
    if (answered.reply().response() == null
        && wire != null
        && answered.responseStream() == null
        && answered.reply().stream() == null) {
      for (EDNSOption option : options) {
        wire = wire == null ? null : withOption(wire, option);
      }
      if (wire != null && wire.length <= sizeLimit) {
        return answered.respondRendered(wire);
      }
    }
    Message response = answered.responseMessage();
    OPTRecord opt = response == null ? null : response.getOPT();
    if (opt == null) {
      return answered;
    }
    List<EDNSOption> merged = new ArrayList<>();
    EDNSOption padding = null;
    int growth = 0;
    for (EDNSOption kept : opt.getOptions()) {
      if (kept.getCode() == EDNSOption.Code.PADDING) {
        padding = kept;
      } else if (options.stream().noneMatch(added -> added.getCode() == kept.getCode())) {
        merged.add(kept);
      } else {
        growth -= kept.toWire().length;
      }
    }
    for (EDNSOption added : options) {
      merged.add(added);
      growth += added.toWire().length;
    }
    if (padding != null) {
      merged.add(shrunk(padding, growth));
    }
    Message changed = response.clone();
    replaceOpt(
        changed,
        new OPTRecord(
            opt.getPayloadSize(),
            opt.getExtendedRcode(),
            opt.getVersion(),
            opt.getFlags(),
            merged));
    return answered.withResponse(changed);
  }

  /**
   * The padding of a padded response (RFC 7830) after its other options grew by {@code growth}
   * octets, kept last: the options take their room out of it, so the response keeps its length (a
   * multiple of the block it was padded to), or, when the padding is too short, it grows by {@link
   * #RESPONSE_PADDING_BLOCK}s.
   */
  private static EDNSOption shrunk(EDNSOption padding, int growth) {
    int length = padding.toWire().length - 4 - growth;
    while (length < 0) {
      length += RESPONSE_PADDING_BLOCK;
    }
    return new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[length]);
  }

  /**
   * A rendered message with one more EDNS option, without parsing it: null when its last record is
   * not an OPT record (or an unsigned TSIG after one, which covers nothing), when that record
   * already has an option with the same code or is padded (padding comes last), or when the bytes
   * are not a well-formed message.
   */
  public static byte[] withOption(byte[] wire, EDNSOption option) {
    if (wire.length < Header.LENGTH) {
      return null;
    }
    int at = Header.LENGTH;
    for (int i = 0; i < u16(wire, 4); i++) {
      at = nameEnd(wire, at);
      if (at < 0) {
        return null;
      }
      at += 4;
    }
    int records = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
    int optRdata = -1;
    int optEnd = -1;
    int lastType = -1;
    int lastRdata = -1;
    for (int i = 0; i < records; i++) {
      at = nameEnd(wire, at);
      if (at < 0 || at + 10 > wire.length) {
        return null;
      }
      lastType = u16(wire, at);
      lastRdata = at + 10;
      at = lastRdata + u16(wire, at + 8);
      if (lastType == Type.OPT) {
        optRdata = lastRdata;
        optEnd = at;
      }
    }
    // The OPT record last, or followed only by an unsigned TSIG (an error's, RFC 8945 §5.3.2),
    // which covers nothing.
    boolean optLast = lastType == Type.OPT;
    boolean unsignedTsigLast = lastType == Type.TSIG && isUnsignedTsig(wire, lastRdata, at);
    if (at != wire.length || optRdata < 0 || !(optLast || unsignedTsigLast)) {
      return null;
    }
    for (int other = optRdata; other + 4 <= optEnd; other += 4 + u16(wire, other + 2)) {
      int code = u16(wire, other);
      if (code == option.getCode() || code == EDNSOption.Code.PADDING) {
        return null;
      }
    }
    byte[] added = option.toWire();
    byte[] extended = new byte[wire.length + added.length];
    System.arraycopy(wire, 0, extended, 0, optEnd);
    System.arraycopy(added, 0, extended, optEnd, added.length);
    System.arraycopy(wire, optEnd, extended, optEnd + added.length, wire.length - optEnd);
    int rdataLength = optEnd - optRdata + added.length;
    extended[optRdata - 2] = (byte) (rdataLength >>> 8);
    extended[optRdata - 1] = (byte) rdataLength;
    return extended;
  }

  /** Whether the TSIG RDATA from {@code at} to {@code end} has an empty MAC. */
  private static boolean isUnsignedTsig(byte[] wire, int at, int end) {
    int macSize = nameEnd(wire, at) + 6 + 2;
    return macSize > 8 && macSize + 2 <= end && u16(wire, macSize) == 0;
  }

  /** Where the name at {@code at} ends (past its root octet or its pointer); -1 when malformed. */
  private static int nameEnd(byte[] wire, int at) {
    while (at >= 0 && at < wire.length) {
      int length = wire[at] & 0xFF;
      if (length == 0) {
        return at + 1;
      }
      if ((length & 0xC0) == 0xC0) {
        return at + 2 <= wire.length ? at + 2 : -1;
      }
      if ((length & 0xC0) != 0) {
        return -1;
      }
      at += 1 + length;
    }
    return -1;
  }

  private static void replaceOpt(Message response, OPTRecord opt) {
    List<Record> others = new ArrayList<>();
    for (Record record : response.getSection(Section.ADDITIONAL)) {
      if (!(record instanceof OPTRecord)) {
        others.add(record);
      }
    }
    response.removeAllRecords(Section.ADDITIONAL);
    others.forEach(r -> response.addRecord(r, Section.ADDITIONAL));
    response.addRecord(opt, Section.ADDITIONAL);
  }
}
