package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/2 client for DoH on one connection the test opened (h2 over TLS, or h2c with prior
 * knowledge): hand-written frames, HPACK literals out, Netty's HPACK decoder in. It writes the
 * preface and SETTINGS, HEADERS (split into CONTINUATION frames as the frame size needs), DATA,
 * RST_STREAM and PING, and reads frames back into a stream's {@link Response} or a flood's {@link
 * Flood}. It checks only that the server's first frame is SETTINGS; what the server should do
 * otherwise is the test's to check.
 */
final class Http2Client implements Closeable {
  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int CONTINUATION = 9;
  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;
  static final int PADDED = 0x8;
  static final int PRIORITY = 0x20;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 3;
  static final int SETTINGS_MAX_HEADER_LIST_SIZE = 6;
  static final int REFUSED_STREAM = 7;
  static final int MAX_FRAME = 16_384;

  final Socket socket;
  final OutputStream out;
  final DataInputStream in;
  final String scheme;
  final int port;
  final Map<Integer, Long> serverSettings = new LinkedHashMap<>();
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);

  private Http2Client(Socket socket, String scheme, int port) {
    this.socket = socket;
    this.scheme = scheme;
    this.port = port;
    try {
      this.out = socket.getOutputStream();
      this.in = new DataInputStream(socket.getInputStream());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts HTTP/2 on the connected {@code socket} (TLS with ALPN h2, or plain for h2c with prior
   * knowledge): sends the preface and empty SETTINGS, reads the server's SETTINGS and acknowledges
   * them. {@code scheme} and {@code port} go into the requests' :scheme and :authority.
   */
  static Http2Client open(Socket socket, String scheme, int port) throws IOException {
    Http2Client h2 = new Http2Client(socket, scheme, port);
    ByteArrayOutputStream start = new ByteArrayOutputStream();
    start.write(PREFACE);
    frame(start, SETTINGS, 0, 0, new byte[0]);
    h2.out.write(start.toByteArray());
    h2.out.flush();
    Frame settings = h2.read();
    assertNotNull(settings, "the server's SETTINGS");
    assertEquals(SETTINGS, settings.type(), "the server's first frame is SETTINGS");
    ByteBuffer entries = ByteBuffer.wrap(settings.payload());
    while (entries.remaining() >= 6) {
      h2.serverSettings.put(entries.getShort() & 0xFFFF, entries.getInt() & 0xFFFFFFFFL);
    }
    h2.frame(SETTINGS, ACK, 0, new byte[0]);
    return h2;
  }

  static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    out.write(
        new byte[] {
          (byte) (payload.length >> 16),
          (byte) (payload.length >> 8),
          (byte) payload.length,
          (byte) type,
          (byte) flags,
          (byte) (stream >> 24),
          (byte) (stream >> 16),
          (byte) (stream >> 8),
          (byte) stream
        });
    out.write(payload);
  }

  void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    frame(out, type, flags, stream, payload);
    out.flush();
  }

  /** A header block in HEADERS and as many CONTINUATION frames as the frame size needs. */
  void headerBlock(int stream, byte[] block, boolean endStream) throws IOException {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    int offset = 0;
    do {
      int length = Math.min(MAX_FRAME, block.length - offset);
      boolean last = offset + length == block.length;
      int flags = (last ? END_HEADERS : 0) | (offset == 0 && endStream ? END_STREAM : 0);
      frame(
          frames,
          offset == 0 ? HEADERS : CONTINUATION,
          flags,
          stream,
          Arrays.copyOfRange(block, offset, offset + length));
      offset += length;
    } while (offset < block.length);
    out.write(frames.toByteArray());
    out.flush();
  }

  byte[] getHeaders(byte[] query, String... extra) {
    String[] all = new String[4 + extra.length];
    all[0] = "accept";
    all[1] = "application/dns-message";
    all[2] = "user-agent";
    all[3] = "vxdns-test";
    System.arraycopy(extra, 0, all, 4, extra.length);
    return headers("GET", scheme, port, "/dns-query?dns=" + DohClient.base64url(query), all);
  }

  byte[] postHeaders(int length) {
    return headers(
        "POST",
        scheme,
        port,
        "/dns-query",
        "content-type",
        "application/dns-message",
        "content-length",
        Integer.toString(length));
  }

  /** An HPACK block of literal fields without indexing (RFC 7541 section 6.2.2), no Huffman. */
  static byte[] headers(String method, String scheme, int port, String path, String... extra) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    List<String> fields =
        new ArrayList<>(
            List.of(
                ":method",
                method,
                ":scheme",
                scheme,
                ":authority",
                "127.0.0.1:" + port,
                ":path",
                path));
    fields.addAll(List.of(extra));
    for (int i = 0; i < fields.size(); i += 2) {
      block.write(0x00);
      string(block, fields.get(i));
      string(block, fields.get(i + 1));
    }
    return block.toByteArray();
  }

  private static void string(ByteArrayOutputStream block, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
    integer(block, bytes.length, 7);
    block.writeBytes(bytes);
  }

  private static void integer(ByteArrayOutputStream block, int value, int prefixBits) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      block.write(value);
      return;
    }
    block.write(max);
    value -= max;
    while (value >= 128) {
      block.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    block.write(value);
  }

  /** The next frame, its header block decoded; null when the server closed the connection. */
  Frame read() throws IOException {
    byte[] header = new byte[9];
    try {
      in.readFully(header);
    } catch (EOFException closed) {
      return null;
    } catch (SocketTimeoutException timeout) {
      throw timeout;
    } catch (IOException reset) {
      return null;
    }
    int length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
    int type = header[3] & 0xFF;
    int flags = header[4] & 0xFF;
    int stream = ByteBuffer.wrap(header, 5, 4).getInt() & 0x7FFFFFFF;
    byte[] payload = new byte[length];
    try {
      in.readFully(payload);
    } catch (SocketTimeoutException timeout) {
      throw timeout;
    } catch (IOException closed) {
      return null;
    }
    Http2Headers headers = null;
    if (type == HEADERS && (flags & END_HEADERS) != 0) {
      int offset = 0;
      int padding = 0;
      if ((flags & PADDED) != 0) {
        padding = payload[0] & 0xFF;
        offset = 1;
      }
      if ((flags & PRIORITY) != 0) {
        offset += 5;
      }
      try {
        headers =
            decoder.decodeHeaders(
                stream, Unpooled.wrappedBuffer(payload, offset, payload.length - offset - padding));
      } catch (Http2Exception e) {
        throw new IOException("the server's header block does not decode", e);
      }
    }
    return new Frame(type, flags, stream, payload, headers);
  }

  Response get(int stream, byte[] query) throws IOException {
    frame(HEADERS, END_HEADERS | END_STREAM, stream, getHeaders(query));
    return response(stream);
  }

  /** Reads frames until {@code stream} ends, is reset, or the connection goes. */
  Response response(int stream) throws IOException {
    int status = -1;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Frame frame; (frame = read()) != null; ) {
      if (frame.type() == GOAWAY) {
        return new Response(status, body.toByteArray(), null, frame.errorCode(), false);
      }
      if (frame.stream() != stream) {
        continue;
      }
      if (frame.type() == RST_STREAM) {
        return new Response(status, body.toByteArray(), frame.errorCode(), null, false);
      }
      if (frame.type() == HEADERS && frame.headers() != null && frame.headers().status() != null) {
        status = Integer.parseInt(frame.headers().status().toString());
      }
      if (frame.type() == DATA) {
        body.write(frame.payload());
      }
      if ((frame.flags() & END_STREAM) != 0 && (frame.type() == DATA || frame.type() == HEADERS)) {
        return new Response(status, body.toByteArray(), null, null, false);
      }
    }
    return new Response(status, body.toByteArray(), null, null, true);
  }

  /** Reads until the server closes, or until it stays silent for {@code silenceMillis}. */
  Flood drain(int silenceMillis) {
    int answered = 0;
    int resets = 0;
    Integer goaway = null;
    try {
      socket.setSoTimeout(silenceMillis);
      for (Frame frame; (frame = read()) != null; ) {
        if (frame.type() == HEADERS
            && frame.headers() != null
            && String.valueOf(frame.headers().status()).startsWith("2")) {
          answered++;
        } else if (frame.type() == RST_STREAM) {
          resets++;
        } else if (frame.type() == GOAWAY) {
          goaway = frame.errorCode();
        }
      }
      return new Flood(answered, resets, goaway, true);
    } catch (SocketTimeoutException silence) {
      return new Flood(answered, resets, goaway, false);
    } catch (IOException e) {
      return new Flood(answered, resets, goaway, true);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** One frame as read; {@code headers} decoded for a HEADERS frame with END_HEADERS. */
  record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
    int errorCode() {
      int offset = type == GOAWAY ? 4 : 0;
      return ByteBuffer.wrap(payload, offset, 4).getInt();
    }

    @Override
    public String toString() {
      return "frame type "
          + type
          + " flags "
          + flags
          + " stream "
          + stream
          + " ("
          + payload.length
          + " bytes)";
    }
  }

  /**
   * The outcome of one stream: a status and body, or the stream or connection error that ended it.
   */
  record Response(int status, byte[] body, Integer reset, Integer goaway, boolean closed) {
    @Override
    public String toString() {
      return "status "
          + status
          + ", "
          + (body == null ? 0 : body.length)
          + " body bytes, RST_STREAM "
          + reset
          + ", GOAWAY "
          + goaway
          + (closed ? ", closed" : "");
    }
  }

  /**
   * What the server sent back to a flood, up to a GOAWAY and close or a silence: streams answered
   * 2xx, resets, GOAWAY's code.
   */
  record Flood(int answered, int resets, Integer goaway, boolean closed) {
    @Override
    public String toString() {
      return answered
          + " answered, "
          + resets
          + " RST_STREAM from the server, GOAWAY "
          + goaway
          + (closed ? ", closed" : ", still open");
    }
  }
}
