package dev.vxdns.verticles.transport;

import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads the PROXY v2 header at the start of a channel (or of its TLS stream) and steps aside: the
 * header's bytes go to a channel attribute, the bytes after it to the handlers behind (TLS or
 * HTTP), as if the header had never been there. Bytes that cannot start a header, or a header not
 * complete within the timeout, close the connection, as BIND does.
 */
final class ProxyHeaderReader extends ByteToMessageDecoder {
  static final String NAME = "vxdns-proxy-header";
  private static final AttributeKey<byte[]> HEADER = AttributeKey.valueOf("vxdns.proxy-header");
  private static final System.Logger LOG = System.getLogger(ProxyHeaderReader.class.getName());

  private final ProxyDecoder decoder;
  private final long timeoutMillis;
  private ScheduledFuture<?> timeout;

  ProxyHeaderReader(int maxHeaderSize, long timeoutMillis) {
    this.decoder = ProxyDecoder.withMaxHeaderSize(maxHeaderSize);
    this.timeoutMillis = timeoutMillis;
  }

  /** The header read on {@code channel}, or null when none was (yet). */
  static byte[] header(Channel channel) {
    return channel.attr(HEADER).get();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    timeout =
        context
            .executor()
            .schedule(
                () -> {
                  LOG.log(
                      System.Logger.Level.DEBUG,
                      "{0}: no complete PROXY header within {1} ms; closing",
                      context.channel().remoteAddress(),
                      timeoutMillis);
                  context.close();
                },
                timeoutMillis,
                TimeUnit.MILLISECONDS);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext context) {
    if (timeout != null) {
      timeout.cancel(false);
    }
  }

  @Override
  protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
    byte[] start = new byte[Math.min(in.readableBytes(), decoder.maxHeaderSize())];
    in.getBytes(in.readerIndex(), start);
    DecodeResult result = decoder.decode(start);
    if (result instanceof DecodeResult.NeedMore) {
      return;
    }
    if (result instanceof DecodeResult.Invalid invalid) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: invalid PROXY header ({1}); closing",
          context.channel().remoteAddress(),
          invalid);
      in.skipBytes(in.readableBytes());
      context.close();
      return;
    }
    int length = ((DecodeResult.Complete) result).length();
    in.skipBytes(length);
    context.channel().attr(HEADER).set(java.util.Arrays.copyOf(start, length));
    // Removing a ByteToMessageDecoder hands the bytes after the header to the next handler.
    context.pipeline().remove(this);
  }
}
