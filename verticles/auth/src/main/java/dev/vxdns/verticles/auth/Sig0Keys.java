package dev.vxdns.verticles.auth;

import dev.vxdns.auth.Sig0Result;
import dev.vxdns.auth.Sig0Verifier;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.ParsedRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * SIG(0) verification with its costs bounded: the signer's KEY records come from the zone stage
 * over the event bus; public-key verification runs on a dedicated worker pool of {@code
 * sig0-workers} threads, behind {@link Sig0Guard}'s per-source rate and queue limits, so a flood of
 * expensive signatures can take at most those threads, never an event loop.
 */
public final class Sig0Keys {
  private static final DeliveryOptions LOOKUP =
      new DeliveryOptions().setSendTimeout(2000).setLocalOnly(true);

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Sig0Guard guard;

  Sig0Keys(Vertx vertx, WorkerExecutor workers, Sig0Guard guard) {
    this.vertx = vertx;
    this.workers = workers;
    this.guard = guard;
  }

  /** Counters for the stats address: SIG(0) verifications admitted and turned away. */
  java.util.Map<String, Long> counters() {
    return java.util.Map.of(
        "sig0-admitted", guard.admitted(), "sig0-turned-away", guard.turnedAway());
  }

  /**
   * True when the query's last additional record is a SIG(0): the only place one may be in a query
   * the stage accepts ({@code DnsRequests.parse} turns away one elsewhere as FORMERR).
   */
  static boolean isSigned(ParsedRequest request) {
    // Most queries end without a signature: their message is never parsed for this.
    if (!request.isSigned()) {
      return false;
    }
    List<Record> additional = request.message().getSection(Section.ADDITIONAL);
    Record last = additional.get(additional.size() - 1);
    return last.getType() == Type.SIG && ((SIGRecord) last).getTypeCovered() == 0;
  }

  /**
   * The verification result, or null when the guard turned the query away (not verified at all).
   */
  Future<Sig0Result> verify(DnsExchange exchange, Instant now) {
    if (!guard.tryAcquire(
        exchange.endpoints().effectiveSource().getAddress(), now.toEpochMilli())) {
      return Future.succeededFuture(null);
    }
    SIGRecord sig = null;
    for (Record record : exchange.request().getSection(Section.ADDITIONAL)) {
      if (record.getType() == Type.SIG && ((SIGRecord) record).getTypeCovered() == 0) {
        sig = (SIGRecord) record;
      }
    }
    String signer = sig.getSigner().toString();
    return vertx
        .eventBus()
        .<JsonArray>request(Addresses.ZONE_KEYS, signer, LOOKUP)
        .map(reply -> keyRecords(reply.body()))
        .compose(
            keys ->
                workers.executeBlocking(
                    () ->
                        Sig0Verifier.verify(exchange.query().wire(), exchange.request(), keys, now),
                    false))
        .eventually(
            () -> {
              guard.release();
              return Future.succeededFuture();
            });
  }

  private static List<KEYRecord> keyRecords(JsonArray encoded) {
    List<KEYRecord> keys = new ArrayList<>();
    for (int i = 0; i < encoded.size(); i++) {
      try {
        Record record =
            Record.fromWire(Base64.getDecoder().decode(encoded.getString(i)), Section.ANSWER);
        if (record instanceof KEYRecord) {
          keys.add((KEYRecord) record);
        }
      } catch (IOException e) {
        // a KEY the zone stage could not render is not a key we can verify with
      }
    }
    return keys;
  }
}
