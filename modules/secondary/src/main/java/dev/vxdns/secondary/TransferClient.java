package dev.vxdns.secondary;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The client side of zone transfers: SOA serial checks, IXFR (RFC 1995) with AXFR fallback, AXFR
 * (RFC 5936), over TCP or TLS (RFC 9103), TSIG-signed when the primary has a key (RFC 8945).
 *
 * <p>Network I/O runs on the caller's Vert.x context (or a new event-loop context), never blocking
 * it; building a zone from the transferred records runs on a worker ({@code executeBlocking}). A
 * transfer either yields a complete, validated zone or fails: a half-read stream is dropped.
 * Failures are {@link TransferException}s naming the primary and the zone.
 */
public final class TransferClient {
  /** BIND sends an SOA query 3 times over UDP before it gives up on a primary. */
  private static final int SOA_UDP_TRIES = 3;

  private final Vertx vertx;
  private final Duration timeout;
  private final TransferLimits limits;
  private final SourceAddresses source;

  /**
   * @param timeout how long to wait for a connection, and for an SOA answer in all (split over the
   *     UDP tries); a transfer's own times are the {@link TransferLimits}'
   */
  public TransferClient(Vertx vertx, Duration timeout) {
    this(vertx, timeout, TransferLimits.defaults());
  }

  public TransferClient(Vertx vertx, Duration timeout, TransferLimits limits) {
    this(vertx, timeout, limits, SourceAddresses.ANY);
  }

  private TransferClient(
      Vertx vertx, Duration timeout, TransferLimits limits, SourceAddresses source) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.source = Objects.requireNonNull(source, "source");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
  }

  /** The same client with other limits on each transfer (a zone's own). */
  public TransferClient withLimits(TransferLimits zoneLimits) {
    return new TransferClient(vertx, timeout, zoneLimits, source);
  }

  /**
   * The same client asking its primaries from other local addresses (a zone's {@code
   * transfer-source}/{@code -v6}): SOA queries, transfers, and the connections of both.
   */
  public TransferClient withSource(SourceAddresses zoneSource) {
    return new TransferClient(vertx, timeout, limits, zoneSource);
  }

  /**
   * The primary's SOA serial (SOA query over UDP, TCP on truncation; over TLS for a TLS primary),
   * TSIG-signed and verified when the primary has a key. The answer must be NOERROR, authoritative
   * (AA, as BIND's refresh insists) and hold the zone's SOA.
   */
  public Future<Long> soaSerial(Primary primary, Name zone) {
    return soaSerial(primary, zone, false);
  }

  /**
   * Like {@link #soaSerial(Primary, Name)} for a refresh, but null where named's refresh goes on to
   * a transfer over TCP without a serial: no answer came at all (no datagram, no connection: its
   * {@code try-tcp-refresh}), or the answer is REFUSED ("perhaps AXFR/IXFR is allowed even if SOA
   * queries aren't", zone.c). Any other bad answer (another error RCODE, not authoritative, no SOA,
   * a bad signature) still fails.
   */
  public Future<Long> soaSerialForRefresh(Primary primary, Name zone) {
    return soaSerial(primary, zone, true);
  }

  private Future<Long> soaSerial(Primary primary, Name zone, boolean forRefresh) {
    String where = "SOA query for " + zone + " to " + primary;
    SignedQuery query = SignedQuery.query(zone, Type.SOA, List.of(), primary.key());
    Future<byte[]> reply;
    if (primary.transport() == PrimaryTransport.TLS) {
      reply = single(primary, query, where);
    } else {
      Duration perTry = timeout.dividedBy(SOA_UDP_TRIES);
      reply =
          UdpExchange.run(
                  vertx,
                  primary.address(),
                  query.wire,
                  perTry.isZero() ? timeout : perTry,
                  SOA_UDP_TRIES,
                  query::isAnsweredBy,
                  source,
                  where)
              .compose(
                  udp ->
                      isTruncated(udp)
                          ? single(primary, query, where + " over TCP")
                          : Future.succeededFuture(udp));
    }
    if (forRefresh) {
      reply = reply.recover(none -> Future.succeededFuture(null));
    }
    return reply.compose(
        bytes -> {
          if (bytes == null) {
            return Future.succeededFuture(null);
          }
          try {
            Message answer = query.verifiedAnswer(bytes, where);
            if (forRefresh && answer.getRcode() == Rcode.REFUSED) {
              return Future.succeededFuture(null);
            }
            return Future.succeededFuture(soaFrom(answer, zone, where));
          } catch (TransferException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /**
   * The next version of the zone: IXFR from {@code current}'s serial when {@code current != null},
   * applying each diff with {@link Zone#apply} so the history grows, or the full zone when the
   * primary answers with one; AXFR when {@code current == null}, and at once from the same primary,
   * as BIND does, when the primary refuses the IXFR (an error RCODE, TC) or answers it with an
   * empty answer section, or when the answer was diffs and reading or applying them failed. Returns
   * {@code current} itself when the primary's serial is not newer. Fails (never a half zone) on a
   * bad or missing TSIG, a cut or truncated stream, a wrong question, records outside the zone,
   * mismatched SOAs, a timeout or a stream over the limits.
   */
  public Future<Zone> transfer(Primary primary, Name zone, Zone current) {
    return transfer(primary, zone, current, ZoneRules.BIND_SECONDARY, records -> {});
  }

  /**
   * Like {@link #transfer(Primary, Name, Zone)}, failing (as BIND's transfer in does) when the zone
   * or a change breaks {@code zoneRules} (an RRset or a name over its limits, a name failing
   * check-names where it fails), and telling {@code progress} the records received so far after
   * each message, on the caller's context.
   */
  public Future<Zone> transfer(
      Primary primary, Name zone, Zone current, ZoneRules zoneRules, LongConsumer progress) {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(zoneRules, "zoneRules");
    if (current != null && !current.origin().equals(zone)) {
      throw new IllegalArgumentException(
          "current version is of zone " + current.origin() + ", not " + zone);
    }
    if (current == null) {
      return stream(primary, zone, Type.AXFR, null, new XfrReader[1], progress)
          .compose(outcome -> build(zone, null, outcome, zoneRules));
    }
    return incremental(primary, zone, current, zoneRules, progress)
        .recover(
            failure -> {
              if (!(failure instanceof RetryWithAxfr retry)) {
                return Future.failedFuture(failure);
              }
              Future<Zone> full =
                  stream(primary, zone, Type.AXFR, null, new XfrReader[1], progress)
                      .compose(outcome -> build(zone, null, outcome, zoneRules));
              if (retry.getCause() == null) {
                return full;
              }
              return full.recover(
                  axfrFailure ->
                      Future.failedFuture(
                          new TransferException(
                              retry.getCause().getMessage()
                                  + "; retried with AXFR: "
                                  + axfrFailure.getMessage(),
                              axfrFailure)));
            });
  }

  /**
   * The IXFR, failing with {@link RetryWithAxfr} where BIND retries with AXFR at once: the primary
   * refused the IXFR or answered it with nothing, or the answer was diffs and anything then went
   * wrong (xfrin.c turns every such failure into DNS_R_BADIXFR, and zone.c then asks the same
   * primary for AXFR).
   */
  private Future<Zone> incremental(
      Primary primary, Name zone, Zone current, ZoneRules zoneRules, LongConsumer progress) {
    XfrReader[] reader = new XfrReader[1];
    return stream(primary, zone, Type.IXFR, current.soa(), reader, progress)
        .recover(
            failure ->
                reader[0].isIncremental()
                    ? Future.failedFuture(new RetryWithAxfr(failure))
                    : Future.failedFuture(failure))
        .compose(
            outcome -> {
              if (outcome == null) {
                return Future.failedFuture(new RetryWithAxfr(null));
              }
              return build(zone, current, outcome, zoneRules)
                  .recover(
                      failure ->
                          outcome.kind() == XfrReader.Kind.INCREMENTAL
                              ? Future.failedFuture(new RetryWithAxfr(failure))
                              : Future.failedFuture(failure));
            });
  }

  /**
   * Not an error to report: the signal to ask again with AXFR, with what went wrong, if anything.
   */
  private static final class RetryWithAxfr extends Exception {
    RetryWithAxfr(Throwable cause) {
      super(cause == null ? "retry with AXFR" : cause.getMessage(), cause, false, false);
    }
  }

  /** The outcome of one transfer; null when an IXFR was refused and AXFR should follow. */
  private Future<XfrReader.Outcome> stream(
      Primary primary,
      Name zone,
      int type,
      SOARecord currentSoa,
      XfrReader[] readerOut,
      LongConsumer progress) {
    String where = Type.string(type) + " of " + zone + " from " + primary;
    List<Record> authority = currentSoa == null ? List.of() : List.of(currentSoa);
    SignedQuery query = SignedQuery.query(zone, type, authority, primary.key());
    XfrReader reader =
        new XfrReader(
            zone,
            type,
            currentSoa == null ? 0 : currentSoa.getSerial(),
            query.id(),
            query.tsig,
            query.queryTsig,
            limits.maxRecords(),
            where);
    readerOut[0] = reader;
    boolean[] retryWithAxfr = {false};
    return StreamExchange.run(
            vertx,
            primary,
            query.wire,
            timeout,
            limits,
            source,
            message -> {
              XfrReader.Step step = reader.accept(message);
              progress.accept(reader.records());
              if (step == XfrReader.Step.RETRY_WITH_AXFR) {
                retryWithAxfr[0] = true;
                return true;
              }
              return step == XfrReader.Step.DONE;
            },
            where)
        .map(done -> retryWithAxfr[0] ? null : reader.outcome());
  }

  private Future<Zone> build(
      Name zone, Zone current, XfrReader.Outcome outcome, ZoneRules zoneRules) {
    switch (outcome.kind()) {
      case UP_TO_DATE:
        return Future.succeededFuture(current);
      case FULL:
        return vertx.executeBlocking(() -> buildFull(zone, outcome.records(), zoneRules), false);
      case INCREMENTAL:
      default:
        return vertx.executeBlocking(() -> applyDiffs(current, outcome.diffs(), zoneRules), false);
    }
  }

  private static Zone buildFull(Name zone, List<Record> records, ZoneRules zoneRules)
      throws TransferException {
    Zone built;
    try {
      built = Zone.of(zone, records, zoneRules);
    } catch (ZoneException e) {
      throw new TransferException(
          "the transferred zone " + zone + " is invalid: " + e.getMessage());
    }
    String tooBig = zoneRules.zoneSizeProblem(built.recordCount());
    if (tooBig != null) {
      throw new TransferException("the transferred zone " + zone + " is refused: " + tooBig);
    }
    return built;
  }

  private static Zone applyDiffs(Zone current, List<ZoneDiff> diffs, ZoneRules zoneRules)
      throws TransferException {
    Zone next = current;
    for (ZoneDiff diff : diffs) {
      String problem;
      try {
        next = next.apply(diff, zoneRules);
        // As xfrin.c: the zone's size after each change.
        problem = zoneRules.zoneSizeProblem(next.recordCount());
      } catch (ZoneException e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        throw new TransferException(
            "the IXFR of "
                + current.origin()
                + " from serial "
                + diff.fromSerial()
                + " to "
                + diff.toSerial()
                + " cannot apply: "
                + problem);
      }
    }
    return next;
  }

  private Future<byte[]> single(Primary primary, SignedQuery query, String where) {
    byte[][] answer = new byte[1][];
    return StreamExchange.run(
            vertx,
            primary,
            query.wire,
            timeout,
            limits.withTimes(timeout, timeout), // one answer, not a transfer: the query's timeout
            source,
            message -> {
              if (!query.isAnsweredBy(message)) {
                throw new TransferException(where + ": the answer does not match the query");
              }
              answer[0] = message;
              return true;
            },
            where)
        .map(done -> answer[0]);
  }

  private static boolean isTruncated(byte[] reply) {
    return reply.length > 2 && (reply[2] & 0x02) != 0;
  }

  private static long soaFrom(Message answer, Name zone, String where) throws TransferException {
    if (answer.getRcode() != Rcode.NOERROR) {
      throw new TransferException(
          where + ": the primary answered " + Rcode.string(answer.getRcode()));
    }
    if (!answer.getHeader().getFlag(Flags.AA)) {
      throw new TransferException(where + ": the answer is not authoritative");
    }
    // BIND's refresh: "answer SOA count (%d) != 1".
    List<Record> soas =
        answer.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.SOA).toList();
    if (soas.size() != 1 || !soas.get(0).getName().equals(zone)) {
      throw new TransferException(
          where + ": the answer has " + soas.size() + " SOA records, not the zone's one");
    }
    return ((SOARecord) soas.get(0)).getSerial();
  }
}
