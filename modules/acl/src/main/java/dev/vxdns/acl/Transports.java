package dev.vxdns.acl;

import java.util.Locale;

/**
 * The transports of BIND 9.20's port/transport qualifiers, as bits: a request has one, an element
 * allows a set. BIND (lib/isccfg/aclconf.c) knows {@code udp}, {@code tcp} (DNS over TCP without
 * TLS), {@code udp-tcp} (both), {@code tls} (DNS over TLS, "encrypted" TCP), {@code http} (DNS over
 * HTTPS: BIND's "http" is the encrypted one) and {@code http-plain} (DNS over HTTP without TLS).
 * vxdns also accepts {@code https} for {@code http}, and the listen-on names {@code dot}, {@code
 * doh} and {@code h2c} for requests. BIND 9.20 has no DNS over QUIC; vxdns adds {@code doq} (RFC
 * 9250) as both an element's and a request's transport (Knot's and dnsdist's name for it).
 */
final class Transports {
  static final int UDP = 1;
  static final int TCP = 2;
  static final int TLS = 4;
  static final int HTTP = 8;
  static final int HTTP_PLAIN = 16;
  static final int DOQ = 32;

  static final String ELEMENT_NAMES = "udp, tcp, udp-tcp, tls, http (or https), http-plain, doq";
  static final String REQUEST_NAMES =
      "udp, tcp, tls (dot), http (https, doh), http-plain (h2c), doq";

  private Transports() {}

  /** The bits an element's {@code transport} value allows, or 0 if the name is unknown. */
  static int ofElement(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "udp" -> UDP;
      case "tcp" -> TCP;
      case "udp-tcp" -> UDP | TCP;
      case "tls" -> TLS;
      case "http", "https" -> HTTP;
      case "http-plain" -> HTTP_PLAIN;
      case "doq" -> DOQ;
      default -> 0;
    };
  }

  /** The bit of a request's transport, or 0 if the name is unknown. */
  static int ofRequest(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "udp" -> UDP;
      case "tcp" -> TCP;
      case "tls", "dot" -> TLS;
      case "http", "https", "doh" -> HTTP;
      case "http-plain", "h2c" -> HTTP_PLAIN;
      case "doq" -> DOQ;
      default -> 0;
    };
  }

  static String name(int bit) {
    return switch (bit) {
      case UDP -> "udp";
      case TCP -> "tcp";
      case UDP | TCP -> "udp-tcp";
      case TLS -> "tls";
      case HTTP -> "http";
      case HTTP_PLAIN -> "http-plain";
      case DOQ -> "doq";
      default -> "?";
    };
  }
}
