package dev.vxdns.forward;

import java.util.Arrays;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;

/**
 * What a cached answer is filed under, as dnsdist's packet cache keys it: the question (name
 * case-folded), opcode, RD and CD, the EDNS payload size, DO bit and options except the client's
 * cookie (a random value per client would defeat the cache), and the ECS option the backend gets,
 * plus whether the client came over a stream (a UDP answer may be truncated) and whether it sent
 * its own ECS option (what the client gets back differs).
 */
public final class CacheKey {
  private final byte[] bytes;
  private final int hash;

  private CacheKey(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * The key of {@code query} as sent to the backend.
   *
   * @param withEcs false for the key of the same query without any ECS option, where a zero-scope
   *     answer is filed
   */
  public static CacheKey of(Message query, boolean stream, boolean clientEcs, boolean withEcs) {
    DNSOutput out = new DNSOutput(64);
    Record question = query.getQuestion();
    out.writeByteArray(question.getName().canonicalize().toWireCanonical());
    out.writeU16(question.getType());
    out.writeU16(question.getDClass());
    int flags = query.getHeader().getOpcode();
    flags |= query.getHeader().getFlag(Flags.RD) ? 0x10 : 0;
    flags |= query.getHeader().getFlag(Flags.CD) ? 0x20 : 0;
    flags |= stream ? 0x40 : 0;
    flags |= clientEcs ? 0x80 : 0;
    out.writeU8(flags);
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      out.writeU16(opt.getPayloadSize());
      out.writeU16(opt.getFlags());
      out.writeU8(opt.getVersion());
      for (EDNSOption option : opt.getOptions()) {
        int code = option.getCode();
        if (code == EDNSOption.Code.COOKIE || (code == EDNSOption.Code.CLIENT_SUBNET && !withEcs)) {
          continue;
        }
        out.writeByteArray(option.toWire());
      }
    }
    return new CacheKey(out.toByteArray());
  }

  /** Bytes the key holds, for the cache's byte bound. */
  int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CacheKey key && hash == key.hash && Arrays.equals(bytes, key.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
