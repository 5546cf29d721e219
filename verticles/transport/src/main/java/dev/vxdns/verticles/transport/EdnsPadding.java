package dev.vxdns.verticles.transport;

import dev.vxdns.message.DnsResponses;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * EDNS(0) padding of responses on encrypted transports: RFC 7830 (pad only when the query carries
 * the option) with RFC 8467's recommended block-length policy for responses, 468 octets.
 */
final class EdnsPadding {
  private EdnsPadding() {}

  /** RFC 8467 section 4.1: servers pad responses to a multiple of 468 octets. */
  static final int RESPONSE_BLOCK = DnsResponses.RESPONSE_PADDING_BLOCK;

  /** The option's code and length, before its zero bytes. */
  private static final int OPTION_HEADER = 4;

  /**
   * Whether the request carries the padding option (RFC 7830 §4: only then is a response padded).
   */
  static boolean isAsked(Message request) {
    OPTRecord asked = request.getOPT();
    return asked != null && !asked.getOptions(EDNSOption.Code.PADDING).isEmpty();
  }

  /**
   * {@code response} padded to a multiple of {@link #RESPONSE_BLOCK} when {@code request} asked for
   * padding and the response has EDNS; otherwise {@code response} itself. A TSIG added later lies
   * outside the block, as RFC 8467 accepts for signed messages.
   */
  static Message pad(Message request, Message response) {
    if (!isAsked(request) || response.getOPT() == null) {
      return response;
    }
    int unpadded = response.toWire().length + OPTION_HEADER;
    int fill = (RESPONSE_BLOCK - unpadded % RESPONSE_BLOCK) % RESPONSE_BLOCK;
    if (unpadded + fill > DnsResponses.STREAM_MESSAGE_LIMIT) {
      return response;
    }
    Message padded = response.clone();
    DnsResponses.addOption(padded, new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[fill]));
    return padded;
  }
}
