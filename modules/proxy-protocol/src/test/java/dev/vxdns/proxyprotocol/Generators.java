package dev.vxdns.proxyprotocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators of valid headers (every family, command, protocol and TLV kind). */
final class Generators {
  /**
   * jqwik logs (java.util.logging, INFO) that the edge cases outnumber the tries; they are meant
   * to: the tries are bounded to keep the build fast. Held strongly so the level sticks.
   */
  private static final Logger JQWIK_LOG = Logger.getLogger("net.jqwik");

  static {
    JQWIK_LOG.setLevel(Level.WARNING);
  }

  private Generators() {}

  static Arbitrary<byte[]> bytes(int min, int max) {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
  }

  static Arbitrary<InetSocketAddress> socket(int size) {
    return Combinators.combine(bytes(size, size), Arbitraries.integers().between(0, 65535))
        .as(
            (a, port) -> {
              try {
                InetAddress addr =
                    size == 4
                        ? InetAddress.getByAddress(a)
                        : Inet6Address.getByAddress(null, a, -1);
                return new InetSocketAddress(addr, port);
              } catch (UnknownHostException e) {
                throw new AssertionError(e);
              }
            });
  }

  static Arbitrary<byte[]> unixPath() {
    return Arbitraries.bytes().between((byte) 1, (byte) 127).array(byte[].class).ofMaxSize(108);
  }

  /** Immutable bases (a builder would be shared between jqwik's re-creations of a value). */
  static Arbitrary<ProxyHeader> addressed() {
    Arbitrary<TransportProtocol> proto =
        Arbitraries.of(TransportProtocol.STREAM, TransportProtocol.DGRAM);
    Arbitrary<ProxyHeader> v4 =
        Combinators.combine(proto, socket(4), socket(4))
            .as((p, s, d) -> ProxyHeader.builder().protocol(p).addresses(s, d).build());
    Arbitrary<ProxyHeader> v6 =
        Combinators.combine(proto, socket(16), socket(16))
            .as((p, s, d) -> ProxyHeader.builder().protocol(p).addresses(s, d).build());
    Arbitrary<ProxyHeader> unix =
        Combinators.combine(proto, unixPath(), unixPath())
            .as((p, s, d) -> ProxyHeader.builder().protocol(p).unixPaths(s, d).build());
    Arbitrary<ProxyHeader> unspec = Arbitraries.just(ProxyHeader.builder().build());
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, unspec),
        net.jqwik.api.Tuple.of(3, v4),
        net.jqwik.api.Tuple.of(3, v6),
        net.jqwik.api.Tuple.of(2, unix));
  }

  static Arbitrary<SslInfo> ssl() {
    Arbitrary<Tlv> sub =
        Combinators.combine(
                Arbitraries.oneOf(
                    Arbitraries.integers().between(Tlv.SSL_VERSION, Tlv.SSL_KEY_ALG),
                    Arbitraries.integers().between(0x26, 0x2F),
                    Arbitraries.integers().between(0xE0, 0xEF)),
                bytes(0, 24))
            .as(Tlv::of);
    return Combinators.combine(
            Arbitraries.integers().between(0, 255), Arbitraries.integers(), sub.list().ofMaxSize(5))
        .as(SslInfo::of);
  }

  /** Any TLV but CRC32C (added separately, at most once). */
  static Arbitrary<Tlv> tlv() {
    Arbitrary<Integer> plainType =
        Arbitraries.integers()
            .between(0, 255)
            .filter(t -> t != Tlv.CRC32C && t != Tlv.UNIQUE_ID && t != Tlv.SSL);
    return Arbitraries.oneOf(
        Arbitraries.strings().alpha().numeric().ofMaxLength(12).map(s -> Tlv.ofString(Tlv.ALPN, s)),
        Arbitraries.strings().ofMaxLength(30).map(s -> Tlv.ofString(Tlv.AUTHORITY, s)),
        bytes(0, 8).map(b -> Tlv.of(Tlv.NOOP, b)),
        bytes(0, 128).map(b -> Tlv.of(Tlv.UNIQUE_ID, b)),
        ssl().map(SslInfo::toTlv),
        Arbitraries.strings().ascii().ofMaxLength(16).map(s -> Tlv.ofString(Tlv.NETNS, s)),
        Combinators.combine(
                Arbitraries.integers().between(Tlv.MIN_CUSTOM, Tlv.MAX_CUSTOM), bytes(0, 32))
            .as(Tlv::of),
        Combinators.combine(plainType, bytes(0, 32)).as(Tlv::of));
  }

  /** Valid headers; total size stays far below 512 bytes unless UNIX paths and many TLVs add up. */
  static Arbitrary<ProxyHeader> headers() {
    return Combinators.combine(
            Arbitraries.of(Command.class),
            addressed(),
            tlv().list().ofMaxSize(5),
            Arbitraries.integers().between(-1, 5))
        .as(
            (command, base, tlvs, crcAt) -> {
              ProxyHeader.Builder builder = base.toBuilder().command(command);
              for (int i = 0; i < tlvs.size(); i++) {
                if (i == crcAt) {
                  builder.crc32c();
                }
                builder.tlv(tlvs.get(i));
              }
              if (crcAt >= tlvs.size()) {
                builder.crc32c();
              }
              return builder.build();
            });
  }

  /** One change to a byte array. */
  record Mutation(Kind kind, int position, int value, int count) {
    enum Kind {
      FLIP_BIT,
      SET_BYTE,
      TRUNCATE,
      INSERT,
      DELETE
    }

    byte[] apply(byte[] b) {
      int at = b.length == 0 ? 0 : Math.floorMod(position, b.length + 1);
      switch (kind) {
        case FLIP_BIT:
          if (b.length == 0) {
            return b;
          }
          byte[] f = b.clone();
          f[Math.floorMod(position, b.length)] ^= (byte) (1 << (value & 7));
          return f;
        case SET_BYTE:
          if (b.length == 0) {
            return b;
          }
          byte[] s = b.clone();
          s[Math.floorMod(position, b.length)] = (byte) value;
          return s;
        case TRUNCATE:
          return java.util.Arrays.copyOf(b, at);
        case INSERT:
          {
            byte[] i = new byte[b.length + count];
            System.arraycopy(b, 0, i, 0, at);
            java.util.Arrays.fill(i, at, at + count, (byte) value);
            System.arraycopy(b, at, i, at + count, b.length - at);
            return i;
          }
        case DELETE:
          {
            int n = Math.min(count, b.length - at);
            byte[] d = new byte[b.length - n];
            System.arraycopy(b, 0, d, 0, at);
            System.arraycopy(b, at + n, d, at, b.length - at - n);
            return d;
          }
        default:
          throw new AssertionError(kind);
      }
    }
  }

  static Arbitrary<List<Mutation>> mutations() {
    return Combinators.combine(
            Arbitraries.of(Mutation.Kind.class),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 255),
            Arbitraries.integers().between(1, 8))
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }
}
