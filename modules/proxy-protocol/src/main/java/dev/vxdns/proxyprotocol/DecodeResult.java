package dev.vxdns.proxyprotocol;

import java.util.Objects;

/**
 * What {@link ProxyDecoder} makes of some bytes: exactly one of {@link Complete}, {@link NeedMore}
 * or {@link Invalid}.
 *
 * <pre>{@code
 * DecodeResult r = decoder.decode(buf, 0, n);
 * if (r instanceof DecodeResult.Complete c) { use(c.header()); skip(c.length()); }
 * else if (r instanceof DecodeResult.NeedMore m) { readAtLeast(m.minimumLength()); }
 * else { DecodeResult.Invalid bad = (DecodeResult.Invalid) r; close(bad.reason()); }
 * }</pre>
 */
public sealed interface DecodeResult
    permits DecodeResult.Complete, DecodeResult.NeedMore, DecodeResult.Invalid {

  /**
   * A whole, valid header. The payload starts {@link #length()} bytes after the offset passed to
   * the decoder.
   */
  record Complete(ProxyHeader header, int length) implements DecodeResult {
    /**
     * @param length the header's total length on the wire (16 + the declared length): the header's
     *     own length, except for a LOCAL whose block was discarded (spec 2.2)
     */
    public Complete {
      Objects.requireNonNull(header, "header");
    }

    public Complete(ProxyHeader header) {
      this(header, header.length());
    }
  }

  /**
   * The bytes so far are a valid prefix of a header (stream decoding only; never returned for a
   * datagram). Decode again once at least {@code minimumLength} bytes (counted from the same
   * offset) are available; {@code available} is how many there were.
   */
  record NeedMore(int minimumLength, int available) implements DecodeResult {
    /** How many more bytes to wait for, at least. */
    public int missing() {
      return minimumLength - available;
    }
  }

  /**
   * The bytes cannot be (the start of) a valid header; the connection or datagram should be
   * dropped.
   */
  record Invalid(ProxyError reason, String detail) implements DecodeResult {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
      return "Invalid[" + reason + ": " + detail + "]";
    }
  }
}
