package dev.vxdns.verticles.transport;

import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
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
 * decoded header goes to a channel attribute, decoded once for the whole connection, the bytes
 * after it to the handlers behind (TLS or HTTP), as if the header had never been there. Bytes that
 * cannot start a header, or a header not complete within the timeout, close the connection, as BIND
 * does.
 */
final class ProxyHeaderReader extends ByteToMessageDecoder {
  static final String NAME = "vxdns-proxy-header";
  private static final AttributeKey<ProxyHeader> HEADER =
      AttributeKey.valueOf("vxdns.proxy-header");
  private static final System.Logger LOG = System.getLogger(ProxyHeaderReader.class.getName());

  private final ProxyDecoder decoder;
  private final long timeoutMillis;
  private ScheduledFuture<?> timeout;

  /**
   * @param decoder the listener's decoder ({@code proxy-max-header-size})
   * @param timeoutMillis how long the header may take
   */
  ProxyHeaderReader(ProxyDecoder decoder, long timeoutMillis) {
    this.decoder = decoder;
    this.timeoutMillis = timeoutMillis;
  }

  /** The header read on {@code channel}, or null when none was (yet). */
  static ProxyHeader header(Channel channel) {
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
    DecodeResult.Complete complete = (DecodeResult.Complete) result;
    in.skipBytes(complete.length());
    context.channel().attr(HEADER).set(complete.header());
    // Removing a ByteToMessageDecoder hands the bytes after the header to the next handler.
    context.pipeline().remove(this);
  }
}
