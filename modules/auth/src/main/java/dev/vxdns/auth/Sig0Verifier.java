package dev.vxdns.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIG0;
import org.xbill.DNS.SIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Verifies a SIG(0)-signed request (RFC 2931) against KEY records the caller looked up (in the
 * zone, for the signer name). A plain synchronous, CPU-bound call: run it on a bounded worker pool
 * behind a per-source rate limit. BIND removed SIG(0) after CVE-2024-1975 (floods of SIG(0)
 * messages exhausted the CPU); here at most {@link #MAX_KEYS_TRIED} public-key operations are done
 * per message, and cheap checks (placement, times, key tag, algorithm) come first.
 */
public final class Sig0Verifier {
  /** At most this many KEY records are tried per message. */
  public static final int MAX_KEYS_TRIED = 4;

  private static final Set<Integer> SUPPORTED =
      Set.of(
          DNSSEC.Algorithm.RSASHA256,
          DNSSEC.Algorithm.RSASHA512,
          DNSSEC.Algorithm.ECDSAP256SHA256,
          DNSSEC.Algorithm.ECDSAP384SHA384,
          DNSSEC.Algorithm.ED25519,
          DNSSEC.Algorithm.ED448);

  private Sig0Verifier() {}

  /**
   * Verifies the SIG(0) of {@code parsed}.
   *
   * @param wire the request as received
   * @param parsed {@code wire} parsed by dnsjava (it records where the SIG(0) starts)
   * @param keys the KEY records of the signer; only those matching the SIG's signer, key tag and
   *     algorithm are tried, at most {@link #MAX_KEYS_TRIED}
   * @param now the server's current time
   */
  public static Sig0Result verify(byte[] wire, Message parsed, List<KEYRecord> keys, Instant now) {
    List<Record> additional = parsed.getSection(Section.ADDITIONAL);
    SIGRecord sig = null;
    int index = -1;
    int count = 0;
    for (int i = 0; i < additional.size(); i++) {
      Record r = additional.get(i);
      if (r.getType() == Type.SIG && ((SIGRecord) r).getTypeCovered() == 0) {
        sig = (SIGRecord) r;
        index = i;
        count++;
      }
    }
    for (int s : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : parsed.getSection(s)) {
        // instanceof, not the type: a SIG without RDATA here is an EmptyRecord (UPDATE sections).
        if (r instanceof SIGRecord outside && outside.getTypeCovered() == 0) {
          return new Sig0Result(SignatureStatus.FORMERR, null, 0, "SIG(0) outside additional");
        }
      }
    }
    if (count == 0) {
      return new Sig0Result(SignatureStatus.UNSIGNED, null, 0, "no SIG(0)");
    }
    Name signer = sig.getSigner();
    if (count > 1) {
      return new Sig0Result(SignatureStatus.FORMERR, signer, 0, "more than one SIG(0)");
    }
    if (index != additional.size() - 1) {
      return new Sig0Result(SignatureStatus.FORMERR, signer, 0, "SIG(0) is not the last record");
    }
    if (sig.getDClass() != DClass.ANY) {
      return new Sig0Result(SignatureStatus.FORMERR, signer, 0, "SIG(0) class is not ANY");
    }
    if (now.isBefore(sig.getTimeSigned())) {
      return new Sig0Result(
          SignatureStatus.BADTIME, signer, 0, "signed in the future: " + sig.getTimeSigned());
    }
    if (now.isAfter(sig.getExpire())) {
      return new Sig0Result(
          SignatureStatus.BADTIME, signer, 0, "signature expired at " + sig.getExpire());
    }
    if (!SUPPORTED.contains(sig.getAlgorithm())) {
      return new Sig0Result(
          SignatureStatus.BADKEY,
          signer,
          0,
          "unsupported algorithm " + DNSSEC.Algorithm.string(sig.getAlgorithm()));
    }
    int tried = 0;
    String lastFailure =
        "no KEY of "
            + signer
            + " with tag "
            + sig.getFootprint()
            + " and algorithm "
            + sig.getAlgorithm();
    for (KEYRecord key : keys) {
      if (tried >= MAX_KEYS_TRIED) {
        break;
      }
      if (!usable(key, sig)) {
        continue;
      }
      tried++;
      try {
        SIG0.verifyMessage(parsed, wire, key, null, now);
        return new Sig0Result(SignatureStatus.VERIFIED, signer, tried, "verified");
      } catch (DNSSEC.DNSSECException e) {
        lastFailure = e.getMessage();
      } catch (RuntimeException e) {
        // A malformed public key in the zone must not break the server.
        lastFailure = "unusable KEY: " + e;
      }
    }
    if (tried == 0) {
      return new Sig0Result(SignatureStatus.BADKEY, signer, 0, lastFailure);
    }
    return new Sig0Result(
        SignatureStatus.BADSIG, signer, tried, "no KEY verified (" + lastFailure + ")");
  }

  private static boolean usable(KEYRecord key, SIGRecord sig) {
    if (!key.getName().equals(sig.getSigner())
        || key.getAlgorithm() != sig.getAlgorithm()
        || key.getFootprint() != sig.getFootprint()) {
      return false;
    }
    if ((key.getFlags() & KEYRecord.Flags.USE_MASK) == KEYRecord.Flags.NOKEY
        || (key.getFlags() & KEYRecord.Flags.USE_MASK) == KEYRecord.Flags.NOAUTH) {
      return false;
    }
    int proto = key.getProtocol();
    return proto == KEYRecord.Protocol.DNSSEC || proto == KEYRecord.Protocol.ANY;
  }
}
