package dev.vxdns.verticles.auth;

import java.util.List;

/**
 * DNS Cookies (RFC 7873, RFC 9018) as BIND 9.20's {@code answer-cookie}, {@code
 * require-server-cookie} and {@code cookie-secret}; present only while {@code answer-cookie} is on.
 *
 * @param secrets the {@code cookie-secret}s, 32 hex digits each: the first makes server cookies,
 *     every one is accepted; empty for a secret of the node's own, made at its start
 * @param requireServerCookie a UDP query without a valid server cookie gets BADCOOKIE instead of
 *     its answer when it carries a client cookie ({@code require-server-cookie})
 */
public record CookieOptions(List<String> secrets, boolean requireServerCookie) {
  public CookieOptions {
    secrets = List.copyOf(secrets);
  }
}
