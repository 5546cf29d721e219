package dev.vxdns.auth;

import java.time.Instant;
import java.util.Objects;
import javax.crypto.Mac;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Signs responses (RFC 8945 sections 4.3 and 5.3) and renders them to wire form.
 *
 * <p>The output is wire bytes rather than a {@link Message}: the MAC covers exact bytes, and a UDP
 * response truncated after signing would no longer verify. Rendering reserves room for the TSIG
 * record, truncates (TC) if needed, computes the MAC over the rendered bytes, then appends the TSIG
 * record.
 *
 * <p>dnsjava's {@code TSIG.generate} is not used: for BADTIME it leaves the server time out of the
 * MAC while putting it in Other Data (the response cannot verify), and it cannot emit truncated
 * MACs.
 *
 * <p>Responses carry dnsjava's {@link TSIG#FUDGE} (300 seconds, as BIND).
 */
public final class TsigSigner {
  private TsigSigner() {}

  /**
   * Renders {@code response} and adds the TSIG record that the verification outcome calls for: none
   * (UNSIGNED, FORMERR), an unsigned one with the error (BADKEY, BADSIG), a signed one (VERIFIED;
   * BADTIME with the request's time signed and the server time in Other Data; BADTRUNC).
   *
   * @param maxLength the largest message allowed (UDP payload size, or 65535 on TCP)
   */
  public static byte[] signResponse(
      Message response, TsigResult request, Instant now, int maxLength) {
    switch (request.status()) {
      case UNSIGNED:
      case FORMERR:
        return render(response, maxLength, 0);
      case BADKEY:
      case BADSIG:
        return unsignedError(response, request, now, maxLength);
      default:
        return sign(
            response,
            request.key().orElseThrow(),
            request.requestTsig().orElseThrow(),
            request.tsigError(),
            now,
            maxLength);
    }
  }

  /** Signs the response to a verified request (TSIG error NOERROR). */
  public static byte[] signResponse(
      Message response, VerifiedRequest request, Instant now, int maxLength) {
    return sign(response, request.key(), request.requestTsig(), Rcode.NOERROR, now, maxLength);
  }

  /**
   * A bare response to {@code request} carrying the result's RCODE (NOTAUTH, FORMERR), with the
   * question copied, ready for {@link #signResponse(Message, TsigResult, Instant, int)}.
   */
  public static Message errorResponse(Message request, TsigResult result) {
    return TkeyServer.reply(request, result.rcode());
  }

  static byte[] sign(
      Message response,
      TsigKey key,
      TSIGRecord requestTsig,
      int error,
      Instant now,
      int maxLength) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestTsig, "requestTsig");
    boolean badtime = error == Rcode.BADTIME;
    Instant timeSigned = badtime ? requestTsig.getTimeSigned() : now;
    byte[] other = badtime ? TsigMac.time48(now) : null;
    Name alg = key.algorithm().wireName();
    int reserve = recordLength(key.name(), alg, key.macLength(), other == null ? 0 : other.length);
    byte[] body = render(response, maxLength, reserve);
    int id = WireRecords.u16(body, 0);

    Mac mac = TsigMac.newMac(key);
    TsigMac.addPriorMac(mac, requestTsig.getSignature());
    mac.update(body);
    TsigMac.addVariables(mac, key.name(), DClass.ANY, 0, alg, timeSigned, TSIG.FUDGE, error, other);
    byte[] signature = TsigMac.truncate(mac.doFinal(), key.macLength());
    TSIGRecord rec =
        new TSIGRecord(
            key.name(), DClass.ANY, 0, alg, timeSigned, TSIG.FUDGE, signature, id, error, other);
    return append(body, rec);
  }

  private static byte[] unsignedError(
      Message response, TsigResult request, Instant now, int maxLength) {
    TSIGRecord req = request.requestTsig().orElseThrow();
    int reserve = recordLength(req.getName(), req.getAlgorithm(), 0, 0);
    byte[] body = render(response, maxLength, reserve);
    TSIGRecord rec =
        new TSIGRecord(
            req.getName(),
            DClass.ANY,
            0,
            req.getAlgorithm(),
            now,
            TSIG.FUDGE,
            new byte[0],
            WireRecords.u16(body, 0),
            request.tsigError(),
            null);
    return append(body, rec);
  }

  static byte[] render(Message response, int maxLength, int reserve) {
    byte[] body = response.toWire(maxLength - reserve);
    if (body.length == 0) {
      throw new IllegalArgumentException(
          "response cannot be rendered in " + maxLength + " octets with a TSIG record");
    }
    return body;
  }

  static byte[] append(byte[] body, TSIGRecord rec) {
    byte[] tsig = rec.toWire(Section.ADDITIONAL);
    byte[] out = new byte[body.length + tsig.length];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(tsig, 0, out, body.length, tsig.length);
    int arcount = WireRecords.u16(out, 10) + 1;
    out[10] = (byte) (arcount >>> 8);
    out[11] = (byte) arcount;
    return out;
  }

  static int recordLength(Name keyName, Name alg, int macLength, int otherLength) {
    return keyName.length() + 10 + alg.length() + 6 + 2 + 2 + macLength + 2 + 2 + 2 + otherLength;
  }
}
