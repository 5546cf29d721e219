package dev.vxdns.auth;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * Server-side verification of a request's TSIG (RFC 8945 section 5.2), in the RFC's order: key, MAC
 * size, MAC, time, truncation policy.
 *
 * <p>dnsjava's {@code TSIG.verify} is not used for requests: it compares MACs with {@code
 * Arrays.equals} (not constant time), reports MAC-size errors as BADSIG instead of FORMERR, has no
 * truncation policy (no BADTRUNC), ignores the TSIG Original ID (a forwarded request whose ID was
 * rewritten fails), and checks time with its own clock.
 */
public final class TsigVerifier {
  private TsigVerifier() {}

  /**
   * Parses and verifies. A message dnsjava cannot parse because of its TSIG (not last, truncated)
   * gives FORMERR; any other parse failure is also reported as FORMERR.
   */
  public static TsigResult verify(byte[] wire, KeyStore keys, Instant now) {
    Message parsed;
    try {
      parsed = new Message(wire);
    } catch (IOException | RuntimeException e) {
      // dnsjava rejects some bad fields (a TTL above 2^31-1, ...) with a runtime exception.
      return TsigResult.formerr(null, "unparseable message: " + e.getMessage());
    }
    return verify(wire, parsed, keys, now);
  }

  /**
   * Verifies the TSIG of a request.
   *
   * @param wire the request exactly as received
   * @param parsed {@code wire} parsed by dnsjava
   * @param keys where to find the key named in the TSIG
   * @param now the server's current time
   */
  public static TsigResult verify(byte[] wire, Message parsed, KeyStore keys, Instant now) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : parsed.getSection(section)) {
        if (r.getType() == Type.TSIG) {
          return TsigResult.formerr(null, "TSIG outside the additional section");
        }
      }
    }
    List<Record> additional = parsed.getSection(Section.ADDITIONAL);
    int count = 0;
    int index = -1;
    for (int i = 0; i < additional.size(); i++) {
      if (additional.get(i).getType() == Type.TSIG) {
        count++;
        index = i;
      }
    }
    if (count == 0) {
      return TsigResult.unsigned();
    }
    TSIGRecord tsig = (TSIGRecord) additional.get(index);
    if (count > 1) {
      return TsigResult.formerr(tsig, "more than one TSIG record");
    }
    if (index != additional.size() - 1) {
      return TsigResult.formerr(tsig, "TSIG is not the last record");
    }
    if (tsig.getDClass() != DClass.ANY) {
      return TsigResult.formerr(tsig, "TSIG class is not ANY");
    }
    WireRecords.Span span;
    try {
      span = WireRecords.lastRecord(wire);
    } catch (WireParseException e) {
      return TsigResult.formerr(tsig, "malformed message: " + e.getMessage());
    }
    // Octets after the TSIG record are not covered and not read, as BIND ignores them.
    if (WireRecords.u16(wire, span.start + nameLength(wire, span.start)) != Type.TSIG) {
      return TsigResult.formerr(tsig, "TSIG is not the last record on the wire");
    }

    // 5.2.1 key check
    Optional<TsigAlgorithm> alg = TsigAlgorithm.fromWireName(tsig.getAlgorithm());
    if (alg.isEmpty()) {
      return TsigResult.error(
          SignatureStatus.BADKEY, null, tsig, "unknown algorithm " + tsig.getAlgorithm());
    }
    Optional<TsigKey> found = keys.find(tsig.getName());
    if (found.isEmpty()) {
      return TsigResult.error(SignatureStatus.BADKEY, null, tsig, "unknown key " + tsig.getName());
    }
    TsigKey key = found.get();
    if (key.algorithm() != alg.get()) {
      return TsigResult.error(
          SignatureStatus.BADKEY,
          null,
          tsig,
          "key "
              + key.name()
              + " is "
              + key.algorithm().bindName()
              + ", request uses "
              + alg.get().bindName());
    }

    // 5.2.2.1 MAC size
    byte[] received = tsig.getSignature();
    int full = key.algorithm().macLength();
    if (received.length > full) {
      return TsigResult.formerr(tsig, "MAC longer than " + full + " octets");
    }
    if (received.length == 0) {
      return TsigResult.error(SignatureStatus.BADSIG, key, tsig, "empty MAC");
    }
    if (received.length < key.algorithm().minimumMacLength()) {
      return TsigResult.formerr(
          tsig,
          "MAC of "
              + received.length
              + " octets below the minimum "
              + key.algorithm().minimumMacLength());
    }

    // 5.2.2 MAC check
    Mac mac = TsigMac.newMac(key);
    TsigMac.addReceivedMessage(mac, wire, span.start, tsig.getOriginalID());
    TsigMac.addVariables(
        mac,
        tsig.getName(),
        tsig.getDClass(),
        tsig.getTTL(),
        tsig.getAlgorithm(),
        tsig.getTimeSigned(),
        tsig.getFudge(),
        tsig.getError(),
        tsig.getOther());
    byte[] expected = TsigMac.truncate(mac.doFinal(), received.length);
    if (!MessageDigest.isEqual(expected, received)) {
      return TsigResult.error(SignatureStatus.BADSIG, key, tsig, "MAC does not verify");
    }

    // 5.2.3 time check (only after the MAC verified)
    // Wire times are whole seconds: compare in seconds, as BIND does.
    Duration skew =
        Duration.ofSeconds(Math.abs(now.getEpochSecond() - tsig.getTimeSigned().getEpochSecond()));
    if (skew.compareTo(tsig.getFudge()) > 0) {
      return TsigResult.error(
          SignatureStatus.BADTIME,
          key,
          tsig,
          "time signed "
              + tsig.getTimeSigned()
              + " is "
              + skew.getSeconds()
              + "s from server time, fudge "
              + tsig.getFudge().getSeconds()
              + "s");
    }

    // 5.2.4 truncation policy
    if (received.length < key.minimumAcceptedMacLength()) {
      return TsigResult.error(
          SignatureStatus.BADTRUNC,
          key,
          tsig,
          "MAC of "
              + received.length
              + " octets below the key's policy of "
              + key.minimumAcceptedMacLength());
    }
    return TsigResult.verified(key, tsig);
  }

  private static int nameLength(byte[] wire, int pos) {
    int start = pos;
    while (true) {
      int len = wire[pos] & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        return pos + 2 - start;
      }
      if (len == 0) {
        return pos + 1 - start;
      }
      pos += 1 + len;
    }
  }
}
