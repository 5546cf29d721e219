package dev.vxdns.message;

import dev.vxdns.message.DnsExchange.Endpoints;
import dev.vxdns.message.DnsExchange.Query;
import dev.vxdns.message.DnsExchange.Reply;
import dev.vxdns.message.DnsExchange.Verdicts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The compact binary form of a {@link DnsExchange} for the cluster event bus.
 *
 * <pre>
 * u8  format version (5: the unknown-key verdict added; 4: the reply's wildcard zone and the
 *     cookie verdict)
 * u8  flags (1 request parsed)
 * the groups endpoints, query, verdicts, reply, each as {@link RecordCodec} writes a record:
 *     ceil(components / 8) flag bytes, one bit per component in declaration order (present, or a
 *     boolean's value), then each present component's value, without names
 * </pre>
 *
 * For the groups of today that is {@code u8 flags, u8 transport, str listener, 4 × addr}; {@code u8
 * flags, [blob PROXY header], blob query}; {@code u8 flags (its third bit cookieVerified, its
 * fourth keyUnknown), [str keyName], [str aclMatch]}; {@code u8 flags, u8 outcome, [blob response],
 * [blob response wire], u16 n + n × str response steps, [str stream address], [str wildcard zone]},
 * with {@code str = u16 length + UTF-8}, {@code addr = u8 length (4|16) + address + u16 port},
 * {@code blob = u32 length + bytes} (DNS messages in wire form, PROXY headers PROXY v2 encoded).
 *
 * <p>The parsed request is not sent: it is parsed again from the query bytes on arrival when the
 * sender had parsed it.
 */
public final class DnsExchangeBinary {
  static final int VERSION = 5;
  private static final int FLAG_PARSED = 1;

  private static final RecordCodec<Endpoints> ENDPOINTS = RecordCodec.of(Endpoints.class);
  private static final RecordCodec<Query> QUERY = RecordCodec.of(Query.class);
  private static final RecordCodec<Verdicts> VERDICTS = RecordCodec.of(Verdicts.class);
  private static final RecordCodec<Reply> REPLY = RecordCodec.of(Reply.class);

  private DnsExchangeBinary() {}

  public static byte[] encode(DnsExchange exchange) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + exchange.query().wire().length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(exchange.parsed() != null ? FLAG_PARSED : 0);
      ENDPOINTS.write(out, exchange.endpoints());
      QUERY.write(out, exchange.query());
      VERDICTS.write(out, exchange.verdicts());
      REPLY.write(out, exchange.reply());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static DnsExchange decode(byte[] data) {
    if (data.length > 0 && (data[0] & 0xFF) != VERSION) {
      throw new IllegalArgumentException("unsupported DnsExchange format version " + data[0]);
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      Endpoints endpoints = ENDPOINTS.read(in);
      Query query = QUERY.read(in);
      Verdicts verdicts = VERDICTS.read(in);
      Reply reply = REPLY.read(in);
      if (in.available() > 0) {
        throw new IOException(in.available() + " bytes after the exchange");
      }
      ParsedRequest request = (flags & FLAG_PARSED) != 0 ? ParsedRequest.parse(query.wire()) : null;
      return DnsExchange.of(endpoints, query, verdicts, reply, request);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed DnsExchange: " + e, e);
    }
  }
}
