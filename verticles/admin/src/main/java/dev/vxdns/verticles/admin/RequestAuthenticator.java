package dev.vxdns.verticles.admin;

import dev.vxdns.auth.ControlMac;
import dev.vxdns.auth.TsigKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks one control channel's requests as rndc's are checked: the MAC with the channel's key, the
 * timestamp within {@link ControlMac#WINDOW} of the node's clock, and the nonce not seen within the
 * window (a replay). A nonce is remembered only while its request's timestamp is within the window;
 * at most {@code maxNonces} are remembered, and when that many are live the request is turned away
 * rather than forgetting one that could then be replayed. Confined to the verticle's event loop.
 */
final class RequestAuthenticator {
  /** Why a request was turned away; null fields mean it was accepted. */
  record Refusal(int status, String reason) {}

  private final TsigKey key;
  private final int maxNonces;

  /** Nonces of accepted requests, with the requests' timestamps (epoch seconds). */
  private final Map<String, Long> seen = new HashMap<>();

  RequestAuthenticator(TsigKey key, int maxNonces) {
    this.key = key;
    this.maxNonces = maxNonces;
  }

  /** Null when the request is authentic and fresh, else the status and reason to answer. */
  Refusal check(
      String method,
      String path,
      byte[] body,
      String time,
      String nonce,
      String mac,
      long nowSeconds) {
    if (time == null || nonce == null || mac == null) {
      return new Refusal(
          401,
          "unsigned request: "
              + ControlMac.TIME_HEADER
              + ", "
              + ControlMac.NONCE_HEADER
              + " and "
              + ControlMac.MAC_HEADER
              + " are required (vxdns tools sign with the controls key of --config)");
    }
    if (!time.matches("[0-9]{1,12}") || !ControlMac.isWellFormedNonce(nonce)) {
      return new Refusal(401, "malformed " + ControlMac.TIME_HEADER + " or nonce");
    }
    long signed = Long.parseLong(time);
    if (!ControlMac.verify(key, method, path, body, signed, nonce, mac)) {
      return new Refusal(401, "bad MAC (not signed with key " + key.name() + ")");
    }
    long window = ControlMac.WINDOW.getSeconds();
    if (Math.abs(nowSeconds - signed) > window) {
      return new Refusal(
          401, "timestamp " + signed + " is more than " + window + " s from the node's clock");
    }
    if (seen.containsKey(nonce)) {
      return new Refusal(401, "replayed nonce");
    }
    if (seen.size() >= maxNonces) {
      seen.values().removeIf(at -> nowSeconds - at > window);
      if (seen.size() >= maxNonces) {
        return new Refusal(503, "too many requests within " + window + " s");
      }
    }
    seen.put(nonce, signed);
    return null;
  }
}
