package dev.vxdns.verticles.zone;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.ParsedRequest;
import dev.vxdns.message.ProgressBoard;
import dev.vxdns.message.Stage;
import dev.vxdns.update.UpdateIdentity;
import dev.vxdns.zone.AnswerExtras;
import dev.vxdns.zone.MinimalResponses;
import dev.vxdns.zone.WireResponse;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneAnswers;
import dev.vxdns.zone.ZoneIndex;
import dev.vxdns.zone.ZoneSet;
import dev.vxdns.zone.ZoneTransfers;
import dev.vxdns.zone.text.NameText;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The zone stage: answers a query from the zones served now. It reads the served {@link ZoneSet}
 * once per query, so a query sees a zone before a change or after it, never a mix. UPDATE and
 * NOTIFY go to the zone's {@link ManagedZone}, which changes what is served.
 */
public final class ZoneStage implements Stage {
  private final ZoneCatalog catalog;
  private final int ednsUdpSize;
  private final DnsOptions dns;
  // The two OPT records DnsResponses.responseOpt gives, by the request's DO bit, in wire form.
  private final byte[] optWithoutDo;
  private final byte[] optWithDo;
  private final byte[] whoamiWire;
  // BIND's built-in CH zones (version.bind...), or null for none.
  private final ZoneSet chaos;
  private final TransferAnswers transfers;
  private final MinimalResponses minimalResponses;
  // One response per thread, started over for each query (the stage runs on its callers' event
  // loops): its buffers and compression table are kept, and a query allocates only the message it
  // sends. Static, so that a redeployed stage does not leave one more per event loop behind; it is
  // scratch space confined to its thread, never shared.
  private static final FastThreadLocal<WireResponse> RESPONSES =
      new FastThreadLocal<>() {
        @Override
        protected WireResponse initialValue() {
          return new WireResponse();
        }
      };

  /**
   * @param settings the UDP sizes (answers are rendered here, sized for the transport), the {@code
   *     whoami} name and the server's identity; its zones are the catalog's
   * @param progress where outgoing transfers report their progress (the node's board)
   * @param transfersOut the zone verticle's outgoing transfers, limited by {@code transfers-out}
   */
  ZoneStage(
      ZoneCatalog catalog,
      ZoneSettings settings,
      ProgressBoard progress,
      TransfersOut transfersOut) {
    this.catalog = catalog;
    this.ednsUdpSize = settings.dns().ednsUdpSize();
    this.dns = settings.dns();
    this.optWithoutDo = optWire(new OPTRecord(0, 0, 0, 0));
    this.optWithDo = optWire(new OPTRecord(0, 0, 0, ExtendedFlags.DO));
    this.whoamiWire = settings.whoami() == null ? null : settings.whoami().toWire();
    this.chaos = settings.identity() == null ? null : ChaosZones.of(settings.identity());
    this.transfers =
        new TransferAnswers(
            ednsUdpSize,
            ZoneTransfers.DEFAULT_BUDGET,
            progress,
            transfersOut,
            settings.transfers().provideIxfr());
    this.minimalResponses = settings.minimalResponses();
  }

  private byte[] optWire(OPTRecord requestOpt) {
    return DnsResponses.responseOpt(requestOpt, ednsUdpSize).toWire(Section.ADDITIONAL);
  }

  /**
   * A stage serving fixed zones that never change, as tests and benchmarks use; {@code udpSize} is
   * both the UDP size advertised and the largest UDP response.
   */
  public ZoneStage(ZoneSet zones, int udpSize, Name whoami) {
    this(zones, udpSize, whoami, new ProgressBoard());
  }

  /** Fixed zones, with outgoing transfers on {@code progress}. */
  public ZoneStage(ZoneSet zones, int udpSize, Name whoami, ProgressBoard progress) {
    this(
        zones,
        udpSize,
        whoami,
        progress,
        new TransfersOut(TransferOptions.DEFAULTS.transfersOut()));
  }

  /** Fixed zones, with outgoing transfers on {@code progress} and limited by {@code slots}. */
  ZoneStage(ZoneSet zones, int udpSize, Name whoami, ProgressBoard progress, TransfersOut slots) {
    this(
        new ZoneCatalog(
            new ServedZones(zones), ZoneIndex.of(java.util.Map.of()), java.util.Map.of()),
        new ZoneSettings(
            List.of(),
            whoami,
            null,
            new DnsOptions(udpSize, udpSize),
            TransferOptions.DEFAULTS.withTransfersOut(slots.limit()),
            MinimalResponses.NO_AUTH_RECURSIVE),
        progress,
        slots);
  }

  public ZoneStage(ZoneSet zones, int udpSize) {
    this(zones, udpSize, null);
  }

  /** The zones served now. */
  public ZoneSet zones() {
    return catalog.served().get();
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    DnsExchange parsed = DnsRequests.parse(exchange, ednsUdpSize);
    if (!parsed.isFinished()) {
      int opcode = parsed.parsed().opcode();
      if (opcode == Opcode.UPDATE) {
        return update(parsed);
      }
      if (opcode == Opcode.NOTIFY) {
        return Future.succeededFuture(notify(parsed));
      }
    }
    return Future.succeededFuture(answer(parsed));
  }

  /**
   * RFC 2136: the zone section names the zone; one we do not serve is NOTAUTH. The access lists (or
   * update-policy, in the zone) already decided who may.
   */
  private Future<DnsExchange> update(DnsExchange parsed) {
    Message request = parsed.request();
    Record zoneSection = request.getQuestion();
    if (zoneSection == null || request.getHeader().getCount(Section.ZONE) != 1) {
      return Future.succeededFuture(
          parsed.respond(DnsResponses.error(request, Rcode.FORMERR, ednsUdpSize)));
    }
    ManagedZone zone = catalog.managed().get(zoneSection.getName());
    if (zone == null) {
      return Future.succeededFuture(
          parsed.respond(DnsResponses.error(request, Rcode.NOTAUTH, ednsUdpSize)));
    }
    if (parsed.verdicts().keyUnknown()) {
      // As BIND: signed with a key this server lacks, an update fails for a primary zone; a
      // secondary forwards it, and the primary's answer goes back as it signed it.
      if (!(zone instanceof SecondaryZone secondary)) {
        return Future.succeededFuture(
            parsed.respond(DnsResponses.error(request, Rcode.NOTAUTH, ednsUdpSize)));
      }
      return secondary
          .forward(request, parsed.query().wire(), ednsUdpSize)
          .map(
              answer ->
                  answer.wire() == null
                      ? parsed.respond(answer.response())
                      : parsed.respondRendered(answer.wire()));
    }
    DnsExchange.Endpoints endpoints = parsed.endpoints();
    InetAddress source = endpoints.effectiveSource().getAddress();
    UpdateIdentity who =
        new UpdateIdentity(
            parsed.verdicts().keyName(),
            source,
            endpoints.transport().isStream(),
            AclEnvironment.ofThisHost().isLocalhost(source));
    return zone.update(request, parsed.query().wire(), who, ednsUdpSize).map(parsed::respond);
  }

  /**
   * RFC 1996: a NOTIFY for a secondary zone makes it check its primary, and is acknowledged at
   * once. As BIND 9.20 answers: one for a primary zone's apex is acknowledged and ignored ("if we
   * are a primary zone just succeed"), one for any other name is NOTAUTH.
   */
  private DnsExchange notify(DnsExchange parsed) {
    Message request = parsed.request();
    Record question = request.getQuestion();
    ManagedZone zone = question == null ? null : catalog.managed().get(question.getName());
    if (zone == null) {
      return parsed.respond(DnsResponses.error(request, Rcode.NOTAUTH, ednsUdpSize));
    }
    zone.notified(parsed.endpoints().effectiveSource().getAddress());
    Message response = DnsResponses.responseTo(request, ednsUdpSize);
    response.getHeader().setFlag(Flags.AA);
    return parsed.respond(response);
  }

  /** The synchronous answer; also what benchmarks call. */
  public DnsExchange answer(DnsExchange exchange) {
    DnsExchange parsed = DnsRequests.parse(exchange, ednsUdpSize);
    if (parsed.isFinished()) {
      return parsed;
    }
    // Read from the query's bytes: a common query is answered without a dnsjava message.
    ParsedRequest request = parsed.parsed();
    int opcode = request.opcode();
    if (opcode != Opcode.QUERY) {
      return DnsRequests.refuse(
          parsed,
          Rcode.NOTIMP,
          ednsUdpSize,
          ExtendedErrorCodeOption.NOT_SUPPORTED,
          "opcode " + Opcode.string(opcode) + " is not supported");
    }
    // Read once: the whole answer comes from one version of the zones.
    ZoneSet zones = catalog.served().get();
    int qtype = request.questionType();
    int qclass = request.questionClass();
    // TKEY the auth stage did not answer (other meta types were refused by DnsRequests.dispatch).
    if (qtype == Type.TKEY) {
      return parsed.respond(DnsResponses.error(parsed.request(), Rcode.FORMERR, ednsUdpSize));
    }
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return transfers.answer(parsed, zones, catalog.configured());
    }
    if (qtype == Type.MAILA || qtype == Type.MAILB) {
      return DnsRequests.refuse(
          parsed,
          Rcode.NOTIMP,
          ednsUdpSize,
          ExtendedErrorCodeOption.NOT_SUPPORTED,
          Type.string(qtype) + " is not supported");
    }
    byte[] qname = request.questionName();
    if (whoamiWire != null
        && NameText.same(qname, whoamiWire)
        && (qclass == DClass.CH || qclass == DClass.IN)) {
      return parsed.respond(Whoami.answer(parsed, ednsUdpSize));
    }
    Zone zone =
        qclass == DClass.IN
            ? zones.find(qname, qtype)
            : qclass == DClass.CH && chaos != null ? chaos.find(qname, qtype) : null;
    if (zone == null && qclass == DClass.IN && catalog.configured().find(qname, qtype) != null) {
      // A secondary zone not transferred yet, or expired: RFC 1034 4.3.5, as BIND.
      return parsed.respond(DnsResponses.error(parsed.request(), Rcode.SERVFAIL, ednsUdpSize));
    }
    if (zone == null) {
      return DnsRequests.refuse(
          parsed,
          Rcode.REFUSED,
          ednsUdpSize,
          ExtendedErrorCodeOption.NOT_AUTHORITATIVE,
          // Not the name: a 255-octet one would double the response (RequestShapesBind-
          // DifferentialTest: it no longer fitted 512 octets).
          "not authoritative");
    }
    WireResponse response =
        RESPONSES
            .get()
            .start(
                request.id(),
                DnsResponses.responseFlags(request),
                qname,
                qtype,
                qclass,
                responseOpt(request.opt()),
                DnsResponses.answerLimit(parsed, dns.maxUdpSize(parsed)));
    if (parsed.endpoints().effectiveSource().getAddress() instanceof java.net.Inet6Address) {
      response.aaaaFirst();
    }
    ZoneAnswers.answer(zone, qname, qtype, extras(parsed, request), response);
    DnsExchange answered = parsed.respondRendered(response.toWire());
    return response.isFromWildcard()
        ? answered.withWildcardZone(zone.origin().toString())
        : answered;
  }

  /** What a positive answer to this query carries beside its RRset ({@code minimal-responses}). */
  private AnswerExtras extras(DnsExchange parsed, ParsedRequest request) {
    OPTRecord opt = request.opt();
    return minimalResponses.extras(
        request.hasFlag(Flags.RD),
        request.questionType(),
        parsed.endpoints().transport().isDatagram(),
        opt == null ? -1 : opt.getPayloadSize());
  }

  /**
   * The response's OPT record in wire form, or null: one of the two the stage made up front, or for
   * a request with a Client Subnet option (carried back) one made for it.
   */
  private byte[] responseOpt(OPTRecord requestOpt) {
    if (requestOpt == null) {
      return null;
    }
    if (!requestOpt.getOptions(EDNSOption.Code.CLIENT_SUBNET).isEmpty()) {
      return optWire(requestOpt);
    }
    return (requestOpt.getFlags() & ExtendedFlags.DO) != 0 ? optWithDo : optWithoutDo;
  }
}
