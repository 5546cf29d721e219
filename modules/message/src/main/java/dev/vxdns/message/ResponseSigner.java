package dev.vxdns.message;

import org.xbill.DNS.Message;

/**
 * How a response step finishes the response it asked for, decided on the way in and kept for the
 * way back: the auth stage's signer holds the TSIG key that verified the request, so the response
 * is signed with that key even if the key is deleted from the store in between.
 *
 * <p>Local only: it may hold secrets, so it is kept out of both wire forms ({@link
 * DnsExchangeBinary}, {@link DnsExchangeJson}). After a hop over the event bus the exchange carries
 * none, and the stage falls back to what does travel (the key's name in {@link
 * DnsExchange.Verdicts}).
 */
@FunctionalInterface
public interface ResponseSigner {
  /** The response's final wire form, at most {@code maxLength} octets (truncated first). */
  byte[] sign(Message response, int maxLength);

  /**
   * A signer for the messages of one multi-message response ({@link DnsExchange#responseStream()}),
   * called once per message in order, the first included: TSIG chains each MAC to the previous one
   * (RFC 8945 section 5.3.1). By default every message is signed on its own.
   */
  default ResponseSigner forStream() {
    return this;
  }
}
