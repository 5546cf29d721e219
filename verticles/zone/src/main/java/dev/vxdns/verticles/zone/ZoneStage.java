package dev.vxdns.verticles.zone;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Stage;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneAnswers;
import dev.vxdns.zone.ZoneSet;
import dev.vxdns.zone.ZoneTransfers;
import io.vertx.core.Future;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The zone stage: answers a query from an immutable {@link ZoneSet}. A new set means a new stage
 * object (see {@code StageRegistration.replace}), so a lookup never sees a half-applied change.
 */
public final class ZoneStage implements Stage {
  private final ZoneSet zones;
  private final int ednsUdpSize;
  private final Name whoami;
  private final TransferAnswers transfers;

  /**
   * @param whoami the name whose TXT query (class CH or IN) answers who the client is, or null
   */
  public ZoneStage(ZoneSet zones, int ednsUdpSize, Name whoami) {
    this.zones = zones;
    this.ednsUdpSize = ednsUdpSize;
    this.whoami = whoami;
    this.transfers = new TransferAnswers(ednsUdpSize, ZoneTransfers.DEFAULT_BUDGET);
  }

  public ZoneStage(ZoneSet zones, int ednsUdpSize) {
    this(zones, ednsUdpSize, null);
  }

  public ZoneSet zones() {
    return zones;
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return Future.succeededFuture(answer(exchange));
  }

  /** The synchronous answer; also what benchmarks call. */
  public DnsExchange answer(DnsExchange exchange) {
    DnsExchange parsed = DnsRequests.parse(exchange, ednsUdpSize);
    if (parsed.isFinished()) {
      return parsed;
    }
    Message request = parsed.request();
    int opcode = request.getHeader().getOpcode();
    if (opcode != Opcode.QUERY) {
      return DnsRequests.refuse(
          parsed,
          Rcode.NOTIMP,
          ednsUdpSize,
          ExtendedErrorCodeOption.NOT_SUPPORTED,
          "opcode " + Opcode.string(opcode) + " is not supported");
    }
    Record question = request.getQuestion();
    int qtype = question.getType();
    if (qtype == Type.OPT || qtype == Type.TSIG || qtype == Type.TKEY) {
      return parsed.respond(DnsResponses.error(request, Rcode.FORMERR, ednsUdpSize));
    }
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return transfers.answer(parsed, zones);
    }
    if (qtype == Type.MAILA || qtype == Type.MAILB) {
      return DnsRequests.refuse(
          parsed,
          Rcode.NOTIMP,
          ednsUdpSize,
          ExtendedErrorCodeOption.NOT_SUPPORTED,
          Type.string(qtype) + " is not supported");
    }
    if (whoami != null
        && question.getName().equals(whoami)
        && (question.getDClass() == DClass.CH || question.getDClass() == DClass.IN)) {
      return parsed.respond(Whoami.answer(parsed, ednsUdpSize));
    }
    Zone zone = question.getDClass() == DClass.IN ? zones.find(question.getName(), qtype) : null;
    if (zone == null) {
      return DnsRequests.refuse(
          parsed,
          Rcode.REFUSED,
          ednsUdpSize,
          ExtendedErrorCodeOption.NOT_AUTHORITATIVE,
          "not authoritative for " + question.getName());
    }
    Message response = DnsResponses.responseTo(request, ednsUdpSize);
    ZoneAnswers.answer(zone, question.getName(), qtype, response);
    return parsed.respond(response);
  }
}
