package dev.vxdns.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One DoH request (RFC 8484) on one HTTP/2 connection the client opened itself, so that a PROXY
 * header can go before TLS, inside it, or before HTTP: the connection preface, GET {@code ?dns=} or
 * POST {@code application/dns-message} on stream 1, then frames read until that stream ends. HPACK
 * is Netty's; the frames are written by hand.
 */
final class Http2Exchange {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int CONTINUATION = 9;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;
  private static final int PADDED = 0x8;
  private static final int PRIORITY = 0x20;
  private static final int STREAM = 1;
  private static final String DNS_MESSAGE = "application/dns-message";

  private Http2Exchange() {}

  /** The response body of a 200 answer; an IOException for any other status. */
  static byte[] exchange(
      InputStream in,
      OutputStream out,
      String scheme,
      String authority,
      String path,
      boolean get,
      byte[] query)
      throws IOException {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method(get ? "GET" : "POST")
            .scheme(scheme)
            .authority(authority)
            .path(
                get
                    ? path
                        + (path.contains("?") ? "&" : "?")
                        + "dns="
                        + Base64.getUrlEncoder().withoutPadding().encodeToString(query)
                    : path)
            .add("accept", DNS_MESSAGE);
    if (!get) {
      headers
          .add("content-type", DNS_MESSAGE)
          .add("content-length", Integer.toString(query.length));
    }
    ByteBuf block = Unpooled.buffer();
    try {
      new DefaultHttp2HeadersEncoder().encodeHeaders(STREAM, headers, block);
    } catch (Http2Exception e) {
      throw new IOException("cannot encode the request headers: " + e.getMessage(), e);
    }
    byte[] encoded = new byte[block.readableBytes()];
    block.readBytes(encoded);
    block.release();
    out.write(PREFACE);
    writeFrame(out, SETTINGS, 0, 0, new byte[0]);
    // One HEADERS frame: a DoH request's headers are far below the 16 KiB default frame size.
    writeFrame(out, HEADERS, END_HEADERS | (get ? END_STREAM : 0), STREAM, encoded);
    if (!get) {
      writeFrame(out, DATA, END_STREAM, STREAM, query);
    }
    out.flush();
    return readResponse(new DataInputStream(in), out);
  }

  private static byte[] readResponse(DataInputStream in, OutputStream out) throws IOException {
    ByteArrayOutputStream headerBlock = new ByteArrayOutputStream();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Http2Headers response = null;
    while (true) {
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = new byte[length];
      in.readFully(payload);
      switch (type) {
        case SETTINGS:
          if ((flags & ACK) == 0) {
            writeFrame(out, SETTINGS, ACK, 0, new byte[0]);
            out.flush();
          }
          break;
        case PING:
          if ((flags & ACK) == 0) {
            writeFrame(out, PING, ACK, 0, payload);
            out.flush();
          }
          break;
        case GOAWAY:
          throw new IOException("the server closed the HTTP/2 connection (GOAWAY)");
        case RST_STREAM:
          if (stream == STREAM) {
            throw new IOException("the server reset the request (RST_STREAM)");
          }
          break;
        case HEADERS:
        case CONTINUATION:
          if (stream != STREAM) {
            break;
          }
          headerBlock.write(fragment(type, flags, payload));
          if ((flags & END_HEADERS) != 0) {
            response = decode(headerBlock.toByteArray());
            headerBlock.reset();
          }
          break;
        case DATA:
          if (stream == STREAM) {
            body.write(fragment(type, flags, payload));
          }
          break;
        default:
          break;
      }
      if (stream == STREAM && (flags & END_STREAM) != 0 && (type == DATA || type == HEADERS)) {
        break;
      }
    }
    if (response == null) {
      throw new IOException("the server sent no response headers");
    }
    CharSequence status = response.status();
    if (status == null || !"200".contentEquals(status)) {
      throw new IOException("HTTP status " + status);
    }
    return body.toByteArray();
  }

  /** A HEADERS or DATA payload without its padding and priority fields. */
  private static byte[] fragment(int type, int flags, byte[] payload) throws IOException {
    int start = 0;
    int end = payload.length;
    if ((type == HEADERS || type == DATA) && (flags & PADDED) != 0) {
      start = 1;
      end -= payload[0] & 0xff;
    }
    if (type == HEADERS && (flags & PRIORITY) != 0) {
      start += 5;
    }
    if (start > end) {
      throw new IOException("a malformed HTTP/2 frame");
    }
    return java.util.Arrays.copyOfRange(payload, start, end);
  }

  private static Http2Headers decode(byte[] block) throws IOException {
    ByteBuf buffer = Unpooled.wrappedBuffer(block);
    try {
      return new DefaultHttp2HeadersDecoder(false).decodeHeaders(STREAM, buffer);
    } catch (Http2Exception e) {
      throw new IOException("cannot decode the response headers: " + e.getMessage(), e);
    } finally {
      buffer.release();
    }
  }

  private static void writeFrame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    byte[] header = {
      (byte) (payload.length >> 16),
      (byte) (payload.length >> 8),
      (byte) payload.length,
      (byte) type,
      (byte) flags,
      (byte) (stream >> 24),
      (byte) (stream >> 16),
      (byte) (stream >> 8),
      (byte) stream
    };
    out.write(header);
    out.write(payload);
  }
}
