package dev.vxdns.auth;

import java.time.Clock;
import java.util.Objects;
import javax.crypto.Mac;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Signs every message of a multi-message response (AXFR/IXFR over TCP), RFC 8945 section 5.3.1: the
 * first MAC covers the request MAC and all TSIG variables; each later MAC covers the previous MAC,
 * the message, and only the timers (time signed, fudge).
 *
 * <p>One instance per transfer; not thread-safe (a transfer is sent in order by one caller).
 */
public final class TsigStreamSigner {
  private final TsigKey key;
  private final Clock clock;
  private byte[] priorMac;
  private int signed;

  public TsigStreamSigner(VerifiedRequest request, Clock clock) {
    Objects.requireNonNull(request, "request");
    this.key = request.key();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.priorMac = request.requestTsig().getSignature();
  }

  /** Signs the next message of the stream and returns its wire form (up to 65535 octets). */
  public byte[] sign(Message message) {
    return sign(message, Message.MAXLENGTH);
  }

  /** Signs the next message of the stream and returns its wire form. */
  public byte[] sign(Message message, int maxLength) {
    boolean first = signed == 0;
    java.time.Instant now = clock.instant();
    int reserve =
        TsigSigner.recordLength(key.name(), key.algorithm().wireName(), key.macLength(), 0);
    byte[] body = TsigSigner.render(message, maxLength, reserve);
    Mac mac = TsigMac.newMac(key);
    TsigMac.addPriorMac(mac, priorMac);
    mac.update(body);
    if (first) {
      TsigMac.addVariables(
          mac,
          key.name(),
          DClass.ANY,
          0,
          key.algorithm().wireName(),
          now,
          TSIG.FUDGE,
          Rcode.NOERROR,
          null);
    } else {
      TsigMac.addTimers(mac, now, TSIG.FUDGE);
    }
    byte[] signature = TsigMac.truncate(mac.doFinal(), key.macLength());
    TSIGRecord rec =
        new TSIGRecord(
            key.name(),
            DClass.ANY,
            0,
            key.algorithm().wireName(),
            now,
            TSIG.FUDGE,
            signature,
            WireRecords.u16(body, 0),
            Rcode.NOERROR,
            null);
    priorMac = signature;
    signed++;
    return TsigSigner.append(body, rec);
  }

  /** How many messages have been signed so far. */
  public int messagesSigned() {
    return signed;
  }
}
