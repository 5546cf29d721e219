package dev.vxdns.verticles.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicTokenHandler;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * QUIC address validation (RFC 9000 section 8.1) for a DoQ listener under a handshake flood: while
 * {@code underFlood} holds, a client's first Initial gets a stateless Retry with a token bound to
 * its address, and only an Initial that returns it starts a handshake. A spoofed source never sees
 * the token, so a flood from spoofed addresses costs one small packet each and no TLS state.
 *
 * <p>Token: issue time (8 bytes), HMAC-SHA256 over time, address, port and the original destination
 * connection ID (32 bytes), then that connection ID, which quiche needs back. The key is random per
 * instance; with SO_REUSEPORT the kernel sends a client's packets to the same socket, so the
 * instance that issued a token is the one that checks it. Tokens live {@link #LIFETIME_MILLIS}.
 */
final class RetryTokens implements QuicTokenHandler {
  static final long LIFETIME_MILLIS = 10_000;
  private static final int TIME = 8;
  private static final int MAC = 32;

  /** QUIC connection IDs are at most 20 bytes (RFC 9000 section 17.2). */
  private static final int MAX_CONNECTION_ID = 20;

  private final SecretKeySpec key;
  private final BooleanSupplier underFlood;
  private final Runnable onRetry;

  /**
   * @param underFlood whether new clients must validate their address now
   * @param onRetry called for each Retry sent (counted by the verticle)
   */
  RetryTokens(BooleanSupplier underFlood, Runnable onRetry) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
    this.underFlood = underFlood;
    this.onRetry = onRetry;
  }

  @Override
  public boolean writeToken(ByteBuf out, ByteBuf dcid, InetSocketAddress address) {
    if (!underFlood.getAsBoolean()) {
      return false;
    }
    long now = System.currentTimeMillis();
    out.writeLong(now);
    out.writeBytes(mac(now, address, dcid, dcid.readerIndex(), dcid.readableBytes()));
    out.writeBytes(dcid, dcid.readerIndex(), dcid.readableBytes());
    onRetry.run();
    return true;
  }

  @Override
  public int validateToken(ByteBuf token, InetSocketAddress address) {
    int length = token.readableBytes();
    if (length < TIME + MAC || length > maxTokenLength()) {
      return -1;
    }
    int start = token.readerIndex();
    long issued = token.getLong(start);
    long age = System.currentTimeMillis() - issued;
    if (age < 0 || age > LIFETIME_MILLIS) {
      return -1;
    }
    byte[] expected = mac(issued, address, token, start + TIME + MAC, length - TIME - MAC);
    byte[] given = new byte[MAC];
    token.getBytes(start + TIME, given);
    return MessageDigest.isEqual(expected, given) ? TIME + MAC : -1;
  }

  @Override
  public int maxTokenLength() {
    return TIME + MAC + MAX_CONNECTION_ID;
  }

  private byte[] mac(long time, InetSocketAddress address, ByteBuf id, int from, int length) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(key);
      for (int shift = 56; shift >= 0; shift -= 8) {
        hmac.update((byte) (time >>> shift));
      }
      hmac.update(address.getAddress().getAddress());
      hmac.update((byte) (address.getPort() >>> 8));
      hmac.update((byte) address.getPort());
      byte[] connectionId = new byte[length];
      id.getBytes(from, connectionId);
      hmac.update(connectionId);
      return hmac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
