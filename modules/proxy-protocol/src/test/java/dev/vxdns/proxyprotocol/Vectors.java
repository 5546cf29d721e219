package dev.vxdns.proxyprotocol;

import static dev.vxdns.proxyprotocol.Bytes.*;

import java.util.ArrayList;
import java.util.List;

/** Hand-built test vectors shared by the table test and the Netty differential test. */
final class Vectors {
  private Vectors() {}

  /** A malformed input and the exact error expected. */
  record Malformed(
      String name, byte[] bytes, ProxyError error, boolean datagram, int maxHeaderSize) {
    Malformed(String name, byte[] bytes, ProxyError error) {
      this(name, bytes, error, false, ProxyDecoder.DEFAULT_MAX_HEADER_SIZE);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A valid header and the value it must decode to. */
  record Valid(String name, byte[] bytes, ProxyHeader expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final byte[] V4_BLOCK = v4("192.0.2.1", "198.51.100.1", 54321, 53);
  static final byte[] V6_BLOCK = v6("2001:db8::1", "2001:db8::53", 40000, 853);
  static final byte[] UNIX_BLOCK = unixPaths("/run/client.sock", "/run/vxdns.sock");

  static List<Malformed> malformed() {
    List<Malformed> m = new ArrayList<>();
    // Signature.
    m.add(
        new Malformed(
            "first byte wrong",
            cat(hex("00"), header(0x21, 0x11, V4_BLOCK)),
            ProxyError.BAD_SIGNATURE));
    m.add(
        new Malformed(
            "12th signature byte wrong",
            cat(hex("0D0A0D0A000D0A5155495400"), hex("2111000C"), V4_BLOCK),
            ProxyError.BAD_SIGNATURE));
    m.add(
        new Malformed(
            "3-byte prefix contradicting the signature", hex("0D0A0E"), ProxyError.BAD_SIGNATURE));
    m.add(
        new Malformed(
            "plain DNS query over TCP",
            hex("001c12340100000100000000000007657861" + "6d706c650000010001"),
            ProxyError.BAD_SIGNATURE));
    m.add(
        new Malformed(
            "HTTP request line",
            ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            ProxyError.BAD_SIGNATURE));
    // v1.
    m.add(
        new Malformed(
            "v1 TCP4 line",
            ascii("PROXY TCP4 192.0.2.1 198.51.100.1 54321 53\r\n"),
            ProxyError.PROXY_V1_NOT_SUPPORTED));
    m.add(
        new Malformed(
            "v1 TCP6 line",
            ascii("PROXY TCP6 2001:db8::1 2001:db8::53 40000 853\r\n"),
            ProxyError.PROXY_V1_NOT_SUPPORTED));
    m.add(
        new Malformed(
            "v1 UNKNOWN line", ascii("PROXY UNKNOWN\r\n"), ProxyError.PROXY_V1_NOT_SUPPORTED));
    m.add(new Malformed("v1 prefix PRO", ascii("PRO"), ProxyError.PROXY_V1_NOT_SUPPORTED));
    // Version and command.
    m.add(
        new Malformed(
            "version 1 in binary header", header(0x11, 0x11, V4_BLOCK), ProxyError.BAD_VERSION));
    m.add(new Malformed("version 3", header(0x31, 0x11, V4_BLOCK), ProxyError.BAD_VERSION));
    m.add(new Malformed("version 0", header(0x01, 0x11, V4_BLOCK), ProxyError.BAD_VERSION));
    m.add(new Malformed("command 2", header(0x22, 0x11, V4_BLOCK), ProxyError.BAD_COMMAND));
    m.add(new Malformed("command F", header(0x2F, 0x11, V4_BLOCK), ProxyError.BAD_COMMAND));
    // Family and protocol.
    m.add(new Malformed("family 4", header(0x21, 0x41, V4_BLOCK), ProxyError.BAD_FAMILY));
    m.add(new Malformed("family F", header(0x21, 0xF1, V4_BLOCK), ProxyError.BAD_FAMILY));
    m.add(new Malformed("LOCAL with family 4", header(0x20, 0x41), ProxyError.BAD_FAMILY));
    m.add(new Malformed("protocol 3", header(0x21, 0x13, V4_BLOCK), ProxyError.BAD_PROTOCOL));
    m.add(new Malformed("protocol F", header(0x21, 0x1F, V4_BLOCK), ProxyError.BAD_PROTOCOL));
    m.add(
        new Malformed(
            "INET with UNSPEC protocol (0x10)",
            header(0x21, 0x10, V4_BLOCK),
            ProxyError.BAD_PROTOCOL));
    m.add(
        new Malformed(
            "UNIX with UNSPEC protocol (0x30)",
            header(0x21, 0x30, UNIX_BLOCK),
            ProxyError.BAD_PROTOCOL));
    m.add(new Malformed("UNSPEC with STREAM (0x01)", header(0x21, 0x01), ProxyError.BAD_PROTOCOL));
    m.add(new Malformed("UNSPEC with DGRAM (0x02)", header(0x20, 0x02), ProxyError.BAD_PROTOCOL));
    // Size.
    m.add(
        new Malformed(
            "513-byte header",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.NOOP, new byte[513 - 16 - 12 - 3])),
            ProxyError.HEADER_TOO_LARGE));
    m.add(
        new Malformed(
            "declared 65535, only fixed part present",
            headerWithLength(0x21, 0x11, 0xFFFF),
            ProxyError.HEADER_TOO_LARGE));
    m.add(
        new Malformed(
            "120-byte header, max 100",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.NOOP, new byte[120 - 31])),
            ProxyError.HEADER_TOO_LARGE,
            false,
            100));
    // Address block.
    m.add(
        new Malformed(
            "INET declared 11",
            headerWithLength(0x21, 0x11, 11, bytes(11, 1)),
            ProxyError.ADDRESS_BLOCK_TOO_SHORT));
    m.add(new Malformed("INET declared 0", header(0x21, 0x12), ProxyError.ADDRESS_BLOCK_TOO_SHORT));
    m.add(
        new Malformed(
            "INET6 declared 35",
            headerWithLength(0x21, 0x21, 35, bytes(35, 1)),
            ProxyError.ADDRESS_BLOCK_TOO_SHORT));
    m.add(
        new Malformed(
            "INET6 given an IPv4 block",
            header(0x21, 0x22, V4_BLOCK),
            ProxyError.ADDRESS_BLOCK_TOO_SHORT));
    m.add(
        new Malformed(
            "UNIX declared 215",
            headerWithLength(0x21, 0x31, 215, bytes(215, 'a')),
            ProxyError.ADDRESS_BLOCK_TOO_SHORT));
    m.add(
        new Malformed(
            "PROXY INET declared 0", header(0x21, 0x11), ProxyError.ADDRESS_BLOCK_TOO_SHORT));
    // Datagram truncation.
    m.add(
        new Malformed(
            "datagram of 15 bytes",
            hex("0D0A0D0A000D0A515549540A 21 11 00"),
            ProxyError.TRUNCATED,
            true,
            512));
    m.add(new Malformed("empty datagram", new byte[0], ProxyError.TRUNCATED, true, 512));
    m.add(
        new Malformed(
            "datagram 1 byte shorter than declared",
            java.util.Arrays.copyOf(header(0x21, 0x12, V4_BLOCK), 27),
            ProxyError.LENGTH_BEYOND_DATA,
            true,
            512));
    m.add(
        new Malformed(
            "datagram declaring 100 TLV bytes it lacks",
            headerWithLength(0x21, 0x12, 112, V4_BLOCK),
            ProxyError.LENGTH_BEYOND_DATA,
            true,
            512));
    // TLV structure.
    m.add(
        new Malformed(
            "TLV value overruns",
            header(0x21, 0x11, V4_BLOCK, tlvWithLength(Tlv.ALPN, 10, ascii("dot"))),
            ProxyError.TLV_OVERRUN));
    m.add(
        new Malformed(
            "TLV header declares 1 byte, nothing follows",
            header(0x21, 0x11, V4_BLOCK, tlvWithLength(Tlv.NOOP, 1, new byte[0])),
            ProxyError.TLV_OVERRUN));
    m.add(
        new Malformed(
            "1 stray byte after the addresses",
            header(0x21, 0x11, V4_BLOCK, hex("01")),
            ProxyError.TLV_OVERRUN));
    m.add(
        new Malformed(
            "2 stray bytes after a TLV",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.ALPN, ascii("dot")), hex("0100")),
            ProxyError.TLV_OVERRUN));
    m.add(
        new Malformed(
            "second TLV overruns",
            header(
                0x21,
                0x11,
                V4_BLOCK,
                tlv(Tlv.ALPN, ascii("dot")),
                tlvWithLength(0xE0, 300, bytes(4, 9))),
            ProxyError.TLV_OVERRUN));
    m.add(
        new Malformed(
            "UNSPEC: TLV overruns",
            header(0x21, 0x00, tlvWithLength(Tlv.AUTHORITY, 9, ascii("a"))),
            ProxyError.TLV_OVERRUN));
    // CRC32C.
    m.add(
        new Malformed(
            "CRC32C of 3 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, bytes(3, 0))),
            ProxyError.BAD_CRC32C_LENGTH));
    m.add(
        new Malformed(
            "CRC32C of 0 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, new byte[0])),
            ProxyError.BAD_CRC32C_LENGTH));
    m.add(
        new Malformed(
            "CRC32C of 5 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, bytes(5, 0))),
            ProxyError.BAD_CRC32C_LENGTH));
    m.add(
        new Malformed(
            "two CRC32C TLVs",
            header(
                0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, bytes(4, 0)), tlv(Tlv.CRC32C, bytes(4, 0))),
            ProxyError.DUPLICATE_CRC32C));
    m.add(
        new Malformed(
            "CRC32C zero",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, bytes(4, 0))),
            ProxyError.BAD_CRC32C));
    byte[] goodCrc =
        fillCrc(header(0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, bytes(4, 0))), 16 + 12 + 3);
    byte[] portChanged = goodCrc.clone();
    portChanged[16 + 8 + 1] ^= 0x01; // source port changed after the checksum was computed
    m.add(new Malformed("CRC32C, then source port changed", portChanged, ProxyError.BAD_CRC32C));
    byte[] crcFlipped = goodCrc.clone();
    crcFlipped[16 + 12 + 3] ^= (byte) 0x80;
    m.add(new Malformed("CRC32C value bit flipped", crcFlipped, ProxyError.BAD_CRC32C));
    byte[] littleEndian = goodCrc.clone();
    for (int i = 0; i < 4; i++) {
      littleEndian[31 + i] = goodCrc[31 + 3 - i];
    }
    m.add(new Malformed("CRC32C stored little-endian", littleEndian, ProxyError.BAD_CRC32C));
    // UNIQUE_ID.
    m.add(
        new Malformed(
            "UNIQUE_ID of 129 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.UNIQUE_ID, bytes(129, 7))),
            ProxyError.UNIQUE_ID_TOO_LONG));
    // SSL.
    m.add(
        new Malformed(
            "SSL of 4 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.SSL, hex("01000000"))),
            ProxyError.SSL_TLV_TOO_SHORT));
    m.add(
        new Malformed(
            "SSL of 0 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.SSL, new byte[0])),
            ProxyError.SSL_TLV_TOO_SHORT));
    m.add(
        new Malformed(
            "SSL sub-TLV overruns",
            header(
                0x21,
                0x11,
                V4_BLOCK,
                tlv(
                    Tlv.SSL,
                    cat(hex("0100000000"), tlvWithLength(Tlv.SSL_VERSION, 20, ascii("TLSv1.3"))))),
            ProxyError.SSL_SUB_TLV_OVERRUN));
    m.add(
        new Malformed(
            "SSL with 1 stray byte",
            header(
                0x21,
                0x11,
                V4_BLOCK,
                tlv(
                    Tlv.SSL,
                    cat(hex("0100000000"), tlv(Tlv.SSL_VERSION, ascii("TLSv1.3")), hex("22")))),
            ProxyError.SSL_SUB_TLV_OVERRUN));
    m.add(
        new Malformed(
            "SSL with 2 stray bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.SSL, cat(hex("0100000000"), hex("2200")))),
            ProxyError.SSL_SUB_TLV_OVERRUN));
    return m;
  }

  /**
   * LOCAL headers whose protocol block is not a valid address block and TLV list: the spec (2.2)
   * says the receiver must accept LOCAL and discard the block, so each decodes to a plain LOCAL of
   * its whole length. (BIND 9.20 drops them.)
   */
  static List<Valid> localWithDiscardedBlock() {
    return List.of(
        new Valid(
            "LOCAL UNSPEC with twelve arbitrary bytes",
            hex("0D0A0D0A000D0A515549540A 20 00 000C 0123456789ABCDEF01234567"),
            ProxyHeader.local()),
        new Valid("LOCAL INET declared 0", header(0x20, 0x11), ProxyHeader.local()),
        new Valid(
            "LOCAL: TLV overruns",
            header(0x20, 0x00, tlvWithLength(Tlv.AUTHORITY, 9, ascii("a"))),
            ProxyHeader.local()),
        new Valid(
            "LOCAL with a wrong CRC32C",
            header(0x20, 0x00, tlv(Tlv.CRC32C, hex("DEADBEEF"))),
            ProxyHeader.local()));
  }

  static List<Valid> valid() {
    List<Valid> v = new ArrayList<>();
    v.add(
        new Valid("LOCAL UNSPEC", hex("0D0A0D0A000D0A515549540A 20 00 0000"), ProxyHeader.local()));
    v.add(
        new Valid(
            "PROXY TCP4 (spec example)",
            hex("0D0A0D0A000D0A515549540A 21 11 000C C0000201 C6336401 D431 0035"),
            ProxyHeader.proxy(
                TransportProtocol.STREAM, sock("192.0.2.1", 54321), sock("198.51.100.1", 53))));
    v.add(
        new Valid(
            "PROXY UDP4",
            header(0x21, 0x12, V4_BLOCK),
            ProxyHeader.proxy(
                TransportProtocol.DGRAM, sock("192.0.2.1", 54321), sock("198.51.100.1", 53))));
    v.add(
        new Valid(
            "PROXY TCP6",
            header(0x21, 0x21, V6_BLOCK),
            ProxyHeader.proxy(
                TransportProtocol.STREAM, sock("2001:db8::1", 40000), sock("2001:db8::53", 853))));
    v.add(
        new Valid(
            "PROXY UDP6",
            header(0x21, 0x22, V6_BLOCK),
            ProxyHeader.proxy(
                TransportProtocol.DGRAM, sock("2001:db8::1", 40000), sock("2001:db8::53", 853))));
    v.add(
        new Valid(
            "PROXY UDP6 IPv4-mapped",
            header(0x21, 0x22, v6("::ffff:192.0.2.1", "::ffff:192.0.2.53", 1, 53)),
            ProxyHeader.proxy(
                TransportProtocol.DGRAM,
                sock("::ffff:192.0.2.1", 1),
                sock("::ffff:192.0.2.53", 53))));
    v.add(
        new Valid(
            "PROXY UNIX stream",
            header(0x21, 0x31, UNIX_BLOCK),
            ProxyHeader.builder()
                .protocol(TransportProtocol.STREAM)
                .unixPaths("/run/client.sock", "/run/vxdns.sock")
                .build()));
    v.add(
        new Valid(
            "PROXY UNIX dgram",
            header(0x21, 0x32, UNIX_BLOCK),
            ProxyHeader.builder()
                .protocol(TransportProtocol.DGRAM)
                .unixPaths("/run/client.sock", "/run/vxdns.sock")
                .build()));
    String p108 = "/" + "p".repeat(107);
    v.add(
        new Valid(
            "UNIX paths of 108 bytes without NUL",
            header(0x21, 0x31, ascii(p108), ascii(p108)),
            ProxyHeader.builder()
                .protocol(TransportProtocol.STREAM)
                .unixPaths(p108, p108)
                .build()));
    v.add(
        new Valid(
            "ports 0 and 65535, unspecified addresses (policy is not the codec's job)",
            header(0x21, 0x11, v4("0.0.0.0", "255.255.255.255", 0, 65535)),
            ProxyHeader.proxy(
                TransportProtocol.STREAM, sock("0.0.0.0", 0), sock("255.255.255.255", 65535))));
    v.add(
        new Valid(
            "PROXY UNSPEC (unknown connection)",
            header(0x21, 0x00),
            ProxyHeader.builder().build()));
    v.add(
        new Valid(
            "PROXY UNSPEC with TLVs",
            header(0x21, 0x00, tlv(Tlv.AUTHORITY, ascii("ns1.example"))),
            ProxyHeader.builder().authority("ns1.example").build()));
    v.add(
        new Valid(
            "LOCAL UNSPEC with a TLV",
            header(0x20, 0x00, tlv(Tlv.NOOP, bytes(2, 0))),
            ProxyHeader.builder().command(Command.LOCAL).noop(2).build()));
    v.add(
        new Valid(
            "LOCAL with an INET address block",
            header(0x20, 0x11, V4_BLOCK),
            ProxyHeader.builder()
                .command(Command.LOCAL)
                .protocol(TransportProtocol.STREAM)
                .addresses(sock("192.0.2.1", 54321), sock("198.51.100.1", 53))
                .build()));
    // Every TLV kind.
    v.add(
        new Valid(
            "ALPN",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.ALPN, ascii("dot"))),
            v4Builder().alpn("dot").build()));
    v.add(
        new Valid(
            "AUTHORITY (UTF-8)",
            header(
                0x21,
                0x11,
                V4_BLOCK,
                tlv(
                    Tlv.AUTHORITY,
                    "bücher.example".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
            v4Builder().authority("bücher.example").build()));
    byte[] crc = fillCrc(header(0x21, 0x11, V4_BLOCK, tlv(Tlv.CRC32C, bytes(4, 0))), 31);
    v.add(
        new Valid(
            "CRC32C",
            crc,
            v4Builder()
                .tlv(Tlv.of(Tlv.CRC32C, java.util.Arrays.copyOfRange(crc, 31, 35)))
                .build()));
    byte[] crcMid =
        fillCrc(
            header(
                0x21,
                0x12,
                V4_BLOCK,
                tlv(Tlv.ALPN, ascii("doq")),
                tlv(Tlv.CRC32C, bytes(4, 0)),
                tlv(0xE1, ascii("x"))),
            16 + 12 + 6 + 3);
    v.add(
        new Valid(
            "CRC32C between TLVs",
            crcMid,
            v4Builder()
                .protocol(TransportProtocol.DGRAM)
                .alpn("doq")
                .tlv(Tlv.of(Tlv.CRC32C, java.util.Arrays.copyOfRange(crcMid, 37, 41)))
                .custom(0xE1, ascii("x"))
                .build()));
    byte[] localCrc = fillCrc(header(0x20, 0x00, tlv(Tlv.CRC32C, bytes(4, 0))), 19);
    v.add(
        new Valid(
            "LOCAL with CRC32C",
            localCrc,
            ProxyHeader.builder()
                .command(Command.LOCAL)
                .tlv(Tlv.of(Tlv.CRC32C, java.util.Arrays.copyOfRange(localCrc, 19, 23)))
                .build()));
    v.add(
        new Valid(
            "NOOP empty",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.NOOP, new byte[0])),
            v4Builder().noop(0).build()));
    v.add(
        new Valid(
            "NOOP padding then ALPN",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.NOOP, bytes(5, 0)), tlv(Tlv.ALPN, ascii("h2"))),
            v4Builder().noop(5).alpn("h2").build()));
    v.add(
        new Valid(
            "UNIQUE_ID of 128 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.UNIQUE_ID, bytes(128, 0xAB))),
            v4Builder().uniqueId(bytes(128, 0xAB)).build()));
    v.add(
        new Valid(
            "UNIQUE_ID empty",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.UNIQUE_ID, new byte[0])),
            v4Builder().uniqueId(new byte[0]).build()));
    byte[] sslValue =
        cat(
            hex("07"),
            hex("00000000"),
            tlv(Tlv.SSL_VERSION, ascii("TLSv1.3")),
            tlv(Tlv.SSL_CN, ascii("client.example")),
            tlv(Tlv.SSL_CIPHER, ascii("TLS_AES_128_GCM_SHA256")),
            tlv(Tlv.SSL_SIG_ALG, ascii("RSA-SHA256")),
            tlv(Tlv.SSL_KEY_ALG, ascii("RSA2048")),
            tlv(0x26, ascii("future")));
    v.add(
        new Valid(
            "SSL with every sub-TLV",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.SSL, sslValue)),
            v4Builder()
                .ssl(
                    SslInfo.builder()
                        .client(7)
                        .verify(0)
                        .version("TLSv1.3")
                        .commonName("client.example")
                        .cipher("TLS_AES_128_GCM_SHA256")
                        .signatureAlgorithm("RSA-SHA256")
                        .keyAlgorithm("RSA2048")
                        .subTlv(Tlv.of(0x26, ascii("future")))
                        .build())
                .build()));
    v.add(
        new Valid(
            "SSL without sub-TLVs, verify failed",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.SSL, hex("01 FFFFFFFF"))),
            v4Builder().ssl(SslInfo.of(1, -1, List.of())).build()));
    v.add(
        new Valid(
            "NETNS",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.NETNS, ascii("blue"))),
            v4Builder().netns("blue").build()));
    v.add(
        new Valid(
            "custom 0xE0 and 0xEF",
            header(0x21, 0x11, V4_BLOCK, tlv(0xE0, hex("0102")), tlv(0xEF, ascii("dnsdist value"))),
            v4Builder().custom(0xE0, hex("0102")).custom(0xEF, ascii("dnsdist value")).build()));
    v.add(
        new Valid(
            "unknown types 0x06, 0x7F, 0xF0, 0xFF",
            header(
                0x21,
                0x11,
                V4_BLOCK,
                tlv(0x06, hex("00")),
                tlv(0x7F, hex("7F7F")),
                tlv(0xF0, new byte[0]),
                tlv(0xFF, hex("FF"))),
            v4Builder()
                .tlv(Tlv.of(0x06, hex("00")))
                .tlv(Tlv.of(0x7F, hex("7F7F")))
                .tlv(Tlv.of(0xF0, new byte[0]))
                .tlv(Tlv.of(0xFF, hex("FF")))
                .build()));
    v.add(
        new Valid(
            "two ALPN TLVs (kept both, accessor gives the first)",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.ALPN, ascii("dot")), tlv(Tlv.ALPN, ascii("h2"))),
            v4Builder().alpn("dot").alpn("h2").build()));
    v.add(
        new Valid(
            "INET6 with TLVs",
            header(
                0x21,
                0x22,
                V6_BLOCK,
                tlv(Tlv.ALPN, ascii("doq")),
                tlv(Tlv.UNIQUE_ID, hex("0102030405"))),
            ProxyHeader.builder()
                .protocol(TransportProtocol.DGRAM)
                .addresses(sock("2001:db8::1", 40000), sock("2001:db8::53", 853))
                .alpn("doq")
                .uniqueId(hex("0102030405"))
                .build()));
    v.add(
        new Valid(
            "UNIX with TLVs",
            header(0x21, 0x31, UNIX_BLOCK, tlv(Tlv.NETNS, ascii("red"))),
            ProxyHeader.builder()
                .protocol(TransportProtocol.STREAM)
                .unixPaths("/run/client.sock", "/run/vxdns.sock")
                .netns("red")
                .build()));
    v.add(
        new Valid(
            "UNIX path in UTF-8",
            header(
                0x21,
                0x31,
                unixField("/run/dns-ü.sock".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                unixField(ascii("/s"))),
            ProxyHeader.builder()
                .protocol(TransportProtocol.STREAM)
                .unixPaths("/run/dns-ü.sock", "/s")
                .build()));
    v.add(
        new Valid(
            "SSL sub-TLV of type 0x20, kept raw",
            header(
                0x21,
                0x11,
                V4_BLOCK,
                tlv(Tlv.SSL, cat(hex("0100000000"), tlv(Tlv.SSL, hex("00"))))),
            v4Builder()
                .ssl(SslInfo.builder().client(1).subTlv(Tlv.of(Tlv.SSL, hex("00"))).build())
                .build()));
    v.add(
        new Valid(
            "exactly 512 bytes",
            header(0x21, 0x11, V4_BLOCK, tlv(Tlv.NOOP, new byte[512 - 31])),
            v4Builder().noop(512 - 31).build()));
    return v;
  }

  static ProxyHeader.Builder v4Builder() {
    return ProxyHeader.builder()
        .protocol(TransportProtocol.STREAM)
        .addresses(sock("192.0.2.1", 54321), sock("198.51.100.1", 53));
  }
}
