package dev.vxdns.verticles.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Brackets an IPv6 literal in an HTTP/2 request's {@code :authority}. BIND 9.20's dig sends {@code
 * :authority: ::1:443} (no brackets) to an IPv6 server with {@code +https} and {@code +http-plain};
 * Vert.x cannot parse that authority, takes the request for malformed and resets its stream with
 * PROTOCOL_ERROR, which dig reports as a "communications error". DoH does not use the authority, so
 * {@code ::1:443} is read as {@code [::1]:443} (the last colon separates the port, as dig means it)
 * rather than refusing the query.
 *
 * <p>Sits in front of Vert.x's HTTP handlers (behind TLS and any PROXY header reader). Vert.x puts
 * its HTTP/2 handler in the pipeline when it recognises the connection preface (h2c) or ALPN {@code
 * h2} (TLS), and swaps the decoder's frame listener when the client's SETTINGS arrive; this handler
 * hands Vert.x the preface on its own, then wraps the frame listener before the first frame is
 * decoded, and re-wraps the one Vert.x swaps in. Once the HTTP/2 handler is wrapped, it steps
 * aside.
 */
final class Http2AuthorityFix extends ChannelInboundHandlerAdapter {
  static final String NAME = "vxdns-h2-authority";

  /** The client's connection preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113 section 3.4). */
  private static final int PREFACE_LENGTH = 24;

  private int forwarded;

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (wrapped(context) || !(message instanceof ByteBuf bytes)) {
      context.fireChannelRead(message);
      return;
    }
    if (forwarded < PREFACE_LENGTH && bytes.readableBytes() > PREFACE_LENGTH - forwarded) {
      // The preface on its own: Vert.x sets up HTTP/2 on it before the frames behind it are read.
      int head = PREFACE_LENGTH - forwarded;
      forwarded += head;
      context.fireChannelRead(bytes.readRetainedSlice(head));
      if (!context.channel().isOpen() || context.isRemoved()) {
        bytes.release();
        return;
      }
      wrapped(context);
    } else {
      forwarded += bytes.readableBytes();
    }
    context.fireChannelRead(bytes);
  }

  /** Wraps the HTTP/2 handler's frame listener when the handler is there; true once done. */
  private static boolean wrapped(ChannelHandlerContext context) {
    if (context.isRemoved()) {
      return true;
    }
    Http2ConnectionHandler http2 = context.pipeline().get(Http2ConnectionHandler.class);
    if (http2 == null) {
      return false;
    }
    Http2ConnectionDecoder decoder = http2.decoder();
    if (!(decoder.frameListener() instanceof Fixing)) {
      decoder.frameListener(new Fixing(decoder, decoder.frameListener()));
    }
    context.pipeline().remove(context.handler());
    return true;
  }

  /** The frame listener with the authority fixed, re-wrapping the one swapped in on SETTINGS. */
  private static final class Fixing extends Http2FrameListenerDecorator {
    private final Http2ConnectionDecoder decoder;

    Fixing(Http2ConnectionDecoder decoder, Http2FrameListener listener) {
      super(listener);
      this.decoder = decoder;
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext context, Http2Settings settings)
        throws Http2Exception {
      super.onSettingsRead(context, settings);
      Http2FrameListener now = decoder.frameListener();
      if (now != null && !(now instanceof Fixing)) {
        decoder.frameListener(new Fixing(decoder, now));
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext context,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      fix(headers);
      super.onHeadersRead(context, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext context,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream)
        throws Http2Exception {
      fix(headers);
      super.onHeadersRead(
          context, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
    }
  }

  private static void fix(Http2Headers headers) {
    CharSequence authority = headers.authority();
    if (authority != null) {
      String fixed = bracketed(authority.toString());
      if (fixed != null) {
        headers.authority(fixed);
      }
    }
  }

  /**
   * {@code [address]:port} for an unbracketed IPv6 literal followed by a port ({@code ::1:443}),
   * {@code [address]} for one without; null when {@code authority} is anything else.
   */
  static String bracketed(String authority) {
    if (authority.isEmpty()
        || authority.charAt(0) == '['
        || authority.indexOf(':') == authority.lastIndexOf(':')) {
      return null;
    }
    int last = authority.lastIndexOf(':');
    String port = authority.substring(last + 1);
    if (!port.isEmpty()
        && port.length() <= 5
        && port.chars().allMatch(c -> c >= '0' && c <= '9')
        && Integer.parseInt(port) <= 65535
        && isIpv6Literal(authority.substring(0, last))) {
      return "[" + authority.substring(0, last) + "]:" + port;
    }
    return isIpv6Literal(authority) ? "[" + authority + "]" : null;
  }

  private static boolean isIpv6Literal(String text) {
    if (text.isEmpty()
        || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      return false;
    }
    try {
      // Only hex digits, colons and dots: parsed as a literal, never looked up.
      InetAddress address = InetAddress.getByName(text);
      return address instanceof Inet6Address || text.indexOf(':') >= 0;
    } catch (UnknownHostException notALiteral) {
      return false;
    }
  }
}
