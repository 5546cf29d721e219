package dev.vxdns.message;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;

/**
 * The compact binary form of a {@link DnsExchange} for the cluster event bus.
 *
 * <pre>
 * u8  format version (1)
 * u8  transport ordinal, u8 outcome ordinal,
 * u8  flags (1 proxied, 2 request parsed, 4 has response, 8 has PROXY header, 16 has response wire)
 * str listener
 * addr realSource, realDestination, effectiveSource, effectiveDestination
 * blob proxyHeader                  (only with flag 8)
 * blob query
 * str keyName, str aclMatch        (length 0xFFFF = null)
 * u8  number of response steps, then each as str
 * blob response wire form           (only with flag 4)
 * blob final response bytes         (only with flag 16: e.g. TSIG-signed)
 *
 * str  = u16 length + UTF-8;  addr = u8 length (4|16) + address + u16 port;  blob = u32 length + bytes
 * </pre>
 *
 * The parsed request is not sent: it is parsed again from the query bytes on arrival.
 */
public final class DnsExchangeBinary {
  static final int VERSION = 1;
  private static final int FLAG_PROXIED = 1;
  private static final int FLAG_PARSED = 2;
  private static final int FLAG_RESPONSE = 4;
  private static final int FLAG_PROXY_HEADER = 8;
  private static final int FLAG_RESPONSE_WIRE = 16;
  private static final int NULL_STRING = 0xFFFF;

  private DnsExchangeBinary() {}

  public static byte[] encode(DnsExchange exchange) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + exchange.query().length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeByte(exchange.transport().ordinal());
      out.writeByte(exchange.outcome().ordinal());
      int flags =
          (exchange.proxied() ? FLAG_PROXIED : 0)
              | (exchange.request() != null ? FLAG_PARSED : 0)
              | (exchange.response() != null ? FLAG_RESPONSE : 0)
              | (exchange.proxyHeader() != null ? FLAG_PROXY_HEADER : 0)
              | (exchange.responseWire() != null ? FLAG_RESPONSE_WIRE : 0);
      out.writeByte(flags);
      writeString(out, exchange.listener());
      writeAddress(out, exchange.realSource());
      writeAddress(out, exchange.realDestination());
      writeAddress(out, exchange.effectiveSource());
      writeAddress(out, exchange.effectiveDestination());
      if (exchange.proxyHeader() != null) {
        writeBlob(out, exchange.proxyHeader());
      }
      writeBlob(out, exchange.query());
      writeString(out, exchange.keyName());
      writeString(out, exchange.aclMatch());
      out.writeByte(exchange.responseSteps().size());
      for (String step : exchange.responseSteps()) {
        writeString(out, step);
      }
      if (exchange.response() != null) {
        writeBlob(out, exchange.response().toWire());
      }
      if (exchange.responseWire() != null) {
        writeBlob(out, exchange.responseWire());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static DnsExchange decode(byte[] data) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("unsupported DnsExchange format version " + version);
      }
      Transport transport = Transport.values()[in.readUnsignedByte()];
      Outcome outcome = Outcome.values()[in.readUnsignedByte()];
      int flags = in.readUnsignedByte();
      String listener = readString(in);
      InetSocketAddress realSource = readAddress(in);
      InetSocketAddress realDestination = readAddress(in);
      InetSocketAddress effectiveSource = readAddress(in);
      InetSocketAddress effectiveDestination = readAddress(in);
      byte[] proxyHeader = (flags & FLAG_PROXY_HEADER) != 0 ? readBlob(in) : null;
      byte[] query = readBlob(in);
      String keyName = readString(in);
      String aclMatch = readString(in);
      int steps = in.readUnsignedByte();
      List<String> responseSteps = new ArrayList<>(steps);
      for (int i = 0; i < steps; i++) {
        responseSteps.add(readString(in));
      }
      Message request = (flags & FLAG_PARSED) != 0 ? new Message(query) : null;
      Message response = (flags & FLAG_RESPONSE) != 0 ? new Message(readBlob(in)) : null;
      byte[] responseWire = (flags & FLAG_RESPONSE_WIRE) != 0 ? readBlob(in) : null;
      return DnsExchange.of(
          transport,
          listener,
          realSource,
          realDestination,
          effectiveSource,
          effectiveDestination,
          (flags & FLAG_PROXIED) != 0,
          proxyHeader,
          query,
          request,
          keyName,
          aclMatch,
          outcome,
          response,
          responseWire,
          responseSteps);
    } catch (IOException | ArrayIndexOutOfBoundsException | NullPointerException e) {
      throw new IllegalArgumentException("malformed DnsExchange: " + e, e);
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeShort(NULL_STRING);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length >= NULL_STRING) {
      throw new IllegalArgumentException(
          "string too long for the exchange codec: " + utf8.length + " bytes");
    }
    out.writeShort(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readUnsignedShort();
    if (length == NULL_STRING) {
      return null;
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static void writeAddress(DataOutputStream out, InetSocketAddress address)
      throws IOException {
    byte[] raw = address.getAddress().getAddress();
    out.writeByte(raw.length);
    out.write(raw);
    out.writeShort(address.getPort());
  }

  private static InetSocketAddress readAddress(DataInputStream in) throws IOException {
    int length = in.readUnsignedByte();
    if (length != 4 && length != 16) {
      throw new IOException("address length " + length);
    }
    InetAddress address = InetAddress.getByAddress(in.readNBytes(length));
    return new InetSocketAddress(address, in.readUnsignedShort());
  }

  private static void writeBlob(DataOutputStream out, byte[] blob) throws IOException {
    out.writeInt(blob.length);
    out.write(blob);
  }

  private static byte[] readBlob(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 65535 + 1024) {
      throw new IOException("blob length " + length);
    }
    byte[] blob = in.readNBytes(length);
    if (blob.length != length) {
      throw new IOException("truncated blob");
    }
    return blob;
  }
}
