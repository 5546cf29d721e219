package dev.vxdns.verticles.transport;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import java.io.IOException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/** SERVFAIL for a query whose pipeline failed: what the UDP and TCP transports send then. */
final class Replies {
  private Replies() {}

  /**
   * SERVFAIL for a query whose chain failed; null when the bytes are not even a parseable query.
   */
  static Message serverFailure(DnsExchange received, int udpSize) {
    Message request = received.request();
    if (request == null) {
      try {
        request = new Message(received.query().wire());
      } catch (IOException | RuntimeException unparseable) {
        return null;
      }
    }
    if (request.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
      return null;
    }
    return DnsResponses.error(request, Rcode.SERVFAIL, udpSize);
  }
}
