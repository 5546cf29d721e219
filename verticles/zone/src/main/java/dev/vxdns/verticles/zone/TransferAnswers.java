package dev.vxdns.verticles.zone;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Progress;
import dev.vxdns.message.ProgressBoard;
import dev.vxdns.message.ResponseStream;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.Serials;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneIndex;
import dev.vxdns.zone.ZoneSet;
import dev.vxdns.zone.ZoneTransfers;
import io.vertx.core.Future;
import java.util.Iterator;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Outgoing zone transfers, AXFR (RFC 5936) and IXFR (RFC 1995), over TCP and DoT (XoT, RFC 9103),
 * answered as BIND 9.20 answers them ({@code lib/ns/query.c}, {@code lib/ns/xfrout.c}); who may
 * transfer ({@code allow-transfer}) the ACL stage decided before.
 *
 * <ul>
 *   <li>over DoH/h2c: NOTIMP (one DNS message per HTTP exchange, RFC 8484);
 *   <li>a name that is not the apex of a served zone, or a class other than IN: NOTAUTH;
 *   <li>AXFR over UDP: FORMERR ("attempted AXFR over UDP");
 *   <li>IXFR with more than one SOA of the zone in the authority section: FORMERR;
 *   <li>{@code transfers-out} transfers already running: SERVFAIL;
 *   <li>IXFR without the client's SOA in the authority section: FORMERR;
 *   <li>IXFR over UDP: the whole answer when it fits the datagram, else the current SOA (the client
 *       retries over TCP);
 *   <li>otherwise the first message, and the rest as a {@link ResponseStream} the transport pulls.
 * </ul>
 */
final class TransferAnswers {
  private final int ednsUdpSize;
  private final int budget;
  private final ProgressBoard progress;
  private final TransfersOut transfersOut;
  private final boolean provideIxfr;

  /**
   * @param budget the uncompressed record octets per transfer message ({@link
   *     ZoneTransfers#DEFAULT_BUDGET})
   * @param progress where a transfer of more than one message reports its progress while it runs
   * @param transfersOut the slots of the zone verticle's transfers running now
   * @param provideIxfr BIND's {@code provide-ixfr}: false answers an IXFR without changes
   */
  TransferAnswers(
      int ednsUdpSize,
      int budget,
      ProgressBoard progress,
      TransfersOut transfersOut,
      boolean provideIxfr) {
    this.ednsUdpSize = ednsUdpSize;
    this.budget = budget;
    this.progress = progress;
    this.transfersOut = transfersOut;
    this.provideIxfr = provideIxfr;
  }

  /**
   * The answer to a parsed AXFR or IXFR query, from the zone set read once for this request; an
   * IXFR is held to its zone's {@code max-ixfr-ratio} in {@code configured} (BIND's 100% for a zone
   * without one).
   */
  DnsExchange answer(DnsExchange parsed, ZoneSet zones, ZoneIndex<ZoneConfig> configured) {
    Message request = parsed.request();
    Record question = request.getQuestion();
    int qtype = question.getType();
    Transport transport = parsed.endpoints().transport();
    if (transport.isHttp()) {
      return error(parsed, Rcode.NOTIMP);
    }
    // Another class is NOTAUTH too: named 9.20 looks the zone up in its built-in CH view.
    Zone zone = question.getDClass() == DClass.IN ? zones.find(question.getName(), Type.SOA) : null;
    if (zone == null || !zone.origin().equals(question.getName())) {
      return error(parsed, Rcode.NOTAUTH);
    }
    if (qtype == Type.AXFR && transport.isDatagram()) {
      return error(parsed, Rcode.FORMERR);
    }
    List<SOARecord> clientSoa = qtype == Type.IXFR ? clientSoa(request, zone) : List.of();
    if (clientSoa.size() > 1) {
      return error(parsed, Rcode.FORMERR);
    }
    // In BIND's order: after the checks above, before an IXFR's missing SOA.
    if (!transfersOut.tryTake()) {
      transfersOut.refused(
          Type.string(qtype)
              + " of "
              + zone.origin()
              + " for "
              + Whoami.format(parsed.endpoints().effectiveSource()));
      return error(parsed, Rcode.SERVFAIL);
    }
    DnsExchange answer;
    try {
      answer = transfer(parsed, zone, configured, clientSoa);
    } catch (RuntimeException e) {
      transfersOut.release();
      throw e;
    }
    if (answer.responseStream() == null) {
      transfersOut.release(); // one message, sent whole
    }
    return answer;
  }

  /** The transfer's first message, and a stream of the others that ends its slot when it ends. */
  private DnsExchange transfer(
      DnsExchange parsed, Zone zone, ZoneIndex<ZoneConfig> configured, List<SOARecord> clientSoa) {
    Message request = parsed.request();
    Transport transport = parsed.endpoints().transport();
    Message skeleton = DnsResponses.responseTo(request, ednsUdpSize);
    if (request.getQuestion().getType() == Type.AXFR) {
      // The zone's records and the closing SOA.
      return stream(
          parsed, zone, zone.recordCount() + 1, ZoneTransfers.axfr(zone, skeleton, budget));
    }
    if (clientSoa.isEmpty()) {
      return error(parsed, Rcode.FORMERR);
    }
    long clientSerial = clientSoa.get(0).getSerial();
    if (!provideIxfr && !Serials.atLeast(clientSerial, zone.serial())) {
      // provide-ixfr no: the whole zone; over UDP the SOA alone, as named answers every IXFR there,
      // which sends the client to TCP
      if (transport.isDatagram()) {
        return parsed.respond(ZoneTransfers.soaOnly(zone, skeleton));
      }
      return stream(
          parsed, zone, zone.recordCount() + 1, ZoneTransfers.axfr(zone, skeleton, budget));
    }
    ZoneConfig config = configured.get(zone.origin());
    int maxRatio = config == null ? ZoneConfig.DEFAULT_MAX_IXFR_RATIO : config.maxIxfrRatio();
    if (transport.isDatagram()) {
      int limit = DnsResponses.udpLimit(request, ednsUdpSize);
      return parsed.respond(
          ZoneTransfers.ixfrOverUdp(zone, clientSerial, maxRatio, skeleton, limit));
    }
    return stream(
        parsed, zone, -1, ZoneTransfers.ixfr(zone, clientSerial, maxRatio, skeleton, budget));
  }

  /** The SOA records at the zone's apex, class IN, in the request's authority section. */
  private static List<SOARecord> clientSoa(Message request, Zone zone) {
    return request.getSection(Section.AUTHORITY).stream()
        .filter(r -> r instanceof SOARecord && r.getDClass() == DClass.IN)
        .filter(r -> r.getName().equals(zone.origin()))
        .map(SOARecord.class::cast)
        .toList();
  }

  /** The first message now, the rest as a stream on the progress board until it ends. */
  private DnsExchange stream(
      DnsExchange parsed, Zone zone, long records, Iterator<Message> messages) {
    Message first = messages.next();
    if (!messages.hasNext()) {
      return parsed.respond(first);
    }
    String subject = zone.origin() + " to " + Whoami.format(parsed.endpoints().effectiveSource());
    Progress task = progress.begin("transfer-out", subject, records);
    return parsed.respond(
        first, new OutgoingTransfer(messages, task, progress, answers(first), transfersOut));
  }

  private static int answers(Message message) {
    return message.getHeader().getCount(Section.ANSWER);
  }

  /**
   * The messages after the first, counting the records sent on the progress board; the task and its
   * transfers-out slot end with the last message, a failure, or the transport's cancel (the client
   * went away).
   */
  private static final class OutgoingTransfer implements ResponseStream {
    private final Iterator<Message> messages;
    private final Progress task;
    private final ProgressBoard board;
    private final TransfersOut slots;
    private long sent;
    private boolean over;

    OutgoingTransfer(
        Iterator<Message> messages,
        Progress task,
        ProgressBoard board,
        long sent,
        TransfersOut slots) {
      this.messages = messages;
      this.task = task;
      this.board = board;
      this.sent = sent;
      this.slots = slots;
      task.advanceTo(sent);
    }

    @Override
    public Future<Part> next() {
      if (over || !messages.hasNext()) {
        cancel();
        return Future.succeededFuture();
      }
      try {
        Message message = messages.next();
        sent += answers(message);
        task.advanceTo(sent);
        return Future.succeededFuture(new Part(message, null));
      } catch (RuntimeException e) {
        cancel();
        return Future.failedFuture(e);
      }
    }

    @Override
    public void cancel() {
      if (!over) {
        over = true;
        board.end(task);
        slots.release();
      }
    }
  }

  private DnsExchange error(DnsExchange parsed, int rcode) {
    return parsed.respond(DnsResponses.error(parsed.request(), rcode, ednsUdpSize));
  }
}
