package dev.vxdns.proxyprotocol;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.codec.haproxy.HAProxySSLTLV;
import io.netty.handler.codec.haproxy.HAProxyTLV;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What Netty's {@link HAProxyMessageDecoder} makes of some bytes, reduced to comparable values, and
 * the same view computed from one of our headers.
 */
record NettyView(
    String command,
    int famProto,
    String source,
    String destination,
    int sourcePort,
    int destinationPort,
    List<String> tlvs) {

  enum Kind {
    ACCEPT,
    REJECT,
    PENDING
  }

  record Outcome(Kind kind, NettyView view, String error) {
    @Override
    public String toString() {
      return kind + (view != null ? " " + view : "") + (error != null ? " (" + error + ")" : "");
    }
  }

  /** Netty's decoder with the same 512-byte maximum as ours: 232 + 280 bytes of TLVs. */
  static HAProxyMessageDecoder netty512() {
    return new HAProxyMessageDecoder(280);
  }

  static Outcome decode(byte[] bytes, Supplier<HAProxyMessageDecoder> decoder) {
    EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
    try {
      try {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
      } catch (RuntimeException e) {
        return new Outcome(Kind.REJECT, null, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      Object o = ch.readInbound();
      try {
        if (o instanceof HAProxyMessage) {
          return new Outcome(Kind.ACCEPT, of((HAProxyMessage) o), null);
        }
        if (o != null) {
          throw new AssertionError("Netty passed data through without a header: " + o);
        }
        return new Outcome(Kind.PENDING, null, null);
      } finally {
        ReferenceCountUtil.release(o);
      }
    } finally {
      try {
        ch.finishAndReleaseAll();
      } catch (RuntimeException ignored) {
        // Netty may report the pending failure again on close.
      }
    }
  }

  static NettyView of(HAProxyMessage m) {
    List<String> tlvs = new ArrayList<>();
    for (HAProxyTLV t : m.tlvs()) {
      String v =
          String.format(
              "%02x:%s", t.typeByteValue() & 0xFF, Bytes.toHex(ByteBufUtil.getBytes(t.content())));
      if (t instanceof HAProxySSLTLV) {
        HAProxySSLTLV s = (HAProxySSLTLV) t;
        v += String.format("/client=%d,verify=%d", s.client() & 0xFF, s.verify());
      }
      tlvs.add(v);
    }
    HAProxyProxiedProtocol.AddressFamily af = m.proxiedProtocol().addressFamily();
    boolean ip =
        af == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
            || af == HAProxyProxiedProtocol.AddressFamily.AF_IPv6;
    return new NettyView(
        m.command().name(),
        m.proxiedProtocol().byteValue() & 0xFF,
        ip
            ? Bytes.toHex(NetUtil.createByteArrayFromIpAddressString(m.sourceAddress()))
            : m.sourceAddress(),
        ip
            ? Bytes.toHex(NetUtil.createByteArrayFromIpAddressString(m.destinationAddress()))
            : m.destinationAddress(),
        m.sourcePort(),
        m.destinationPort(),
        List.copyOf(tlvs));
  }

  /**
   * The view Netty gives of a header we accept. Everything Netty leaves out on purpose is left out
   * here, each rule being a known difference:
   *
   * <ul>
   *   <li>LOCAL: Netty returns a fixed message (UNSPEC, no addresses, no TLVs) without reading the
   *       family byte or the rest; we decode family, addresses and TLVs (and verify the CRC).
   *   <li>PROXY with the UNSPEC family: Netty drops the TLVs; we keep them.
   *   <li>Netty reads a TLV only while at least 4 bytes remain, so a zero-length TLV at the very
   *       end of the header (or of an SSL TLV) is silently dropped; we keep it.
   *   <li>Netty lists an SSL TLV's sub-TLVs again, flattened, right after the SSL TLV.
   * </ul>
   */
  static NettyView expected(ProxyHeader h) {
    if (h.isLocal() || h.family() == AddressFamily.UNSPEC) {
      return new NettyView(h.command().name(), 0, null, null, 0, 0, List.of());
    }
    String src;
    String dst;
    int sp = 0;
    int dp = 0;
    if (h.family() == AddressFamily.UNIX) {
      src = h.sourceUnixPath().orElseThrow();
      dst = h.destinationUnixPath().orElseThrow();
    } else {
      src = Bytes.toHex(h.sourceAddress().orElseThrow().getAddress().getAddress());
      dst = Bytes.toHex(h.destinationAddress().orElseThrow().getAddress().getAddress());
      sp = h.sourceAddress().orElseThrow().getPort();
      dp = h.destinationAddress().orElseThrow().getPort();
    }
    List<String> tlvs = new ArrayList<>();
    for (Tlv t : readable(h.tlvs())) {
      String v = String.format("%02x:%s", t.type(), Bytes.toHex(t.value()));
      if (t.type() == Tlv.SSL) {
        SslInfo s = SslInfo.parse(t);
        tlvs.add(v + String.format("/client=%d,verify=%d", s.client(), s.verify()));
        for (Tlv sub : readable(s.subTlvs())) {
          tlvs.add(String.format("%02x:%s", sub.type(), Bytes.toHex(sub.value())));
        }
      } else {
        tlvs.add(v);
      }
    }
    return new NettyView(
        h.command().name(),
        (h.family().code() << 4) | h.protocol().code(),
        src,
        dst,
        sp,
        dp,
        List.copyOf(tlvs));
  }

  /** The TLVs Netty reads: it stops when fewer than 4 bytes are left. */
  private static List<Tlv> readable(List<Tlv> tlvs) {
    int left = 0;
    for (Tlv t : tlvs) {
      left += t.encodedLength();
    }
    List<Tlv> out = new ArrayList<>();
    for (Tlv t : tlvs) {
      if (left < 4) {
        break;
      }
      out.add(t);
      left -= t.encodedLength();
    }
    return out;
  }
}
