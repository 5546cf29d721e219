package dev.vxdns.proxyprotocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the PROXY v2 header at the start of one TCP (or TLS) connection from the chunks the socket
 * delivers. One instance per connection, used from that connection's thread only.
 *
 * <p>States: {@link State#READING} until the header is whole or proven invalid, then {@link
 * State#COMPLETE} (the {@link #remainder()} holds the bytes after the header that came in the
 * completing chunk: the start of the first DNS message) or {@link State#FAILED}. At most {@link
 * ProxyDecoder#maxHeaderSize()} bytes are buffered.
 */
public final class ProxyStreamDecoder {
  /** Where the decoder is. */
  public enum State {
    /** Waiting for more bytes. */
    READING,
    /** A header was decoded; see {@link #result()} and {@link #remainder()}. */
    COMPLETE,
    /** The bytes are not a valid header; see {@link #result()}. */
    FAILED
  }

  private static final byte[] EMPTY = new byte[0];

  private final ProxyDecoder decoder;
  private byte[] buffer = new byte[64];
  private int buffered;
  private State state = State.READING;
  private DecodeResult result;
  private byte[] remainder = EMPTY;
  private byte[] header = EMPTY;

  ProxyStreamDecoder(ProxyDecoder decoder) {
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  /** Feeds a whole chunk. */
  public DecodeResult feed(byte[] chunk) {
    return feed(chunk, 0, chunk.length);
  }

  /**
   * Feeds the next chunk of the connection. Returns {@link DecodeResult.NeedMore} while the header
   * is incomplete, then {@link DecodeResult.Complete} or {@link DecodeResult.Invalid} once.
   *
   * @throws IllegalStateException if the state is no longer {@link State#READING}
   * @throws IndexOutOfBoundsException if offset/length do not fit the array
   */
  public DecodeResult feed(byte[] chunk, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, chunk.length);
    if (state != State.READING) {
      throw new IllegalStateException("header already " + state);
    }
    // Never buffer more than a header can be: beyond that the answer is already decided.
    int take = Math.min(length, decoder.maxHeaderSize() - buffered);
    if (buffered + take > buffer.length) {
      buffer =
          Arrays.copyOf(
              buffer,
              Math.max(buffered + take, Math.min(buffer.length * 2, decoder.maxHeaderSize())));
    }
    System.arraycopy(chunk, offset, buffer, buffered, take);
    int before = buffered;
    buffered += take;
    DecodeResult r = decoder.decode(buffer, 0, buffered);
    if (r instanceof DecodeResult.Complete) {
      int used = ((DecodeResult.Complete) r).length() - before;
      remainder = Arrays.copyOfRange(chunk, offset + used, offset + length);
      header = Arrays.copyOf(buffer, ((DecodeResult.Complete) r).length());
      state = State.COMPLETE;
      result = r;
      buffer = null;
    } else if (r instanceof DecodeResult.Invalid) {
      state = State.FAILED;
      result = r;
      buffer = null;
    }
    return r;
  }

  /** The current state. */
  public State state() {
    return state;
  }

  /** The final result once COMPLETE or FAILED, else {@code null}. */
  public DecodeResult result() {
    return result;
  }

  /** Bytes that followed the header in the completing chunk (a copy); empty before COMPLETE. */
  public byte[] remainder() {
    return remainder.clone();
  }

  /** The header's own bytes once COMPLETE (a copy); empty before. */
  public byte[] header() {
    return header.clone();
  }

  /** Bytes buffered so far while READING. */
  public int buffered() {
    return buffered;
  }
}
