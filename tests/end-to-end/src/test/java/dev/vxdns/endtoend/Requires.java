package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a peer program, BIND 9.20, IPv6 loopback). Outside CI a
 * missing one skips the test with a message; in CI ({@code CI=true}, as {@code .ci/run} runs) it
 * fails the test, so a green CI run proves everything it claims.
 */
final class Requires {
  private Requires() {}

  /** Goes on when {@code present}; else skips, or fails in CI, saying {@code missing}. */
  static void that(boolean present, String missing) {
    if (present) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true, and " + missing);
    }
    Assumptions.abort(missing);
  }
}
