package dev.vxdns.verticles.zone;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The answer to the {@code whoami} name: what the server believes about the client after the PROXY
 * stage, for operators debugging a chain of proxies. TTL 0: it differs per client.
 *
 * <pre>
 * whoami.vxdns. 0 CH TXT "source 192.0.2.7#1234"
 * whoami.vxdns. 0 CH TXT "destination 192.0.2.53#53"
 * whoami.vxdns. 0 CH TXT "transport udp"
 * whoami.vxdns. 0 CH TXT "proxy yes, via 127.0.0.1#40000"   (or "proxy no")
 * whoami.vxdns. 0 CH TXT "key host1-host2."                  (only for TSIG or SIG(0) signed queries)
 * </pre>
 */
final class Whoami {
  private Whoami() {}

  static Message answer(DnsExchange exchange, int ednsUdpSize) {
    Message request = exchange.request();
    Record question = request.getQuestion();
    Message response = DnsResponses.responseTo(request, ednsUdpSize);
    response.getHeader().setFlag(Flags.AA);
    if (question.getType() != Type.TXT && question.getType() != Type.ANY) {
      return response;
    }
    String proxy =
        exchange.endpoints().proxied()
            ? "proxy yes, via " + format(exchange.endpoints().realSource())
            : "proxy no";
    List<String> lines =
        new java.util.ArrayList<>(
            List.of(
                "source " + format(exchange.endpoints().effectiveSource()),
                "destination " + format(exchange.endpoints().effectiveDestination()),
                "transport " + exchange.endpoints().transport().configName(),
                proxy));
    if (exchange.verdicts().keyName() != null) {
      lines.add("key " + exchange.verdicts().keyName());
    }
    for (String line : lines) {
      response.addRecord(
          new TXTRecord(question.getName(), question.getDClass(), 0, line), Section.ANSWER);
    }
    return response;
  }

  /**
   * {@code address#port} as BIND prints it; IPv6 in its RFC 5952 short form ({@code 2001:db8::7}).
   */
  static String format(InetSocketAddress address) {
    return NetUtil.toAddressString(address.getAddress()) + "#" + address.getPort();
  }
}
