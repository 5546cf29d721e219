package dev.vxdns.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TKEYRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The server side of TKEY (RFC 2930) as BIND 9.18 does it: mode 2 (Diffie-Hellman) and mode 5
 * (deletion); every other mode gets TKEY error BADMODE.
 *
 * <p>Mode 2: the query (question NAME/ANY/TKEY) carries a TKEY record named like the question and a
 * DH KEY record in the additional section. The new key is named {@code qname + tkey-domain} (a
 * random 32-hex-digit label + tkey-domain when qname is the root), algorithm hmac-md5 only (else
 * BADALG). The response answer section holds the client's KEY, the server's KEY and the TKEY record
 * carrying a 16-octet server nonce; the secret is derived by {@link TkeyDh}.
 *
 * <p>The query must be signed (TSIG or SIG(0)), verified by the caller, who passes the verifying
 * key; the response must be signed by the caller with that key.
 *
 * <p>Negotiated keys are capped, in total and per creator (the identity of the signer: a key
 * negotiated with a negotiated key counts for the original signer); a negotiation over a cap is
 * REFUSED before any Diffie-Hellman work and counted. Thread-safe (the key store is); the
 * Diffie-Hellman computation is slow, so callers on an event loop run {@link #process} on a worker.
 */
public final class TkeyServer {
  /** Octets of server randomness in the response TKEY (BIND's TKEY_RANDOM_AMOUNT). */
  public static final int NONCE_LENGTH = 16;

  private final DhKey serverKey;

  /** The DH KEY record of {@code serverKey} this server puts in its answers, built once. */
  private final KEYRecord serverKeyRecord;

  private final Name domain;
  private final Duration maxLifetime;
  private final KeyStore keys;
  private final SecureRandom random;
  private final Clock clock;
  private final int maxKeys;
  private final int maxKeysPerCreator;
  private final java.util.concurrent.atomic.LongAdder refusedOverCap =
      new java.util.concurrent.atomic.LongAdder();

  /**
   * @param serverKey BIND's {@code tkey-dhkey}
   * @param domain BIND's {@code tkey-domain}: suffix of negotiated key names
   * @param maxLifetime upper bound on a negotiated key's lifetime (BIND has none)
   * @param maxKeys negotiated keys alive at once ({@code tkey-max-keys})
   * @param maxKeysPerCreator negotiated keys alive at once per creator ({@code
   *     tkey-max-keys-per-client})
   */
  public TkeyServer(
      DhKey serverKey,
      Name domain,
      Duration maxLifetime,
      KeyStore keys,
      SecureRandom random,
      Clock clock,
      int maxKeys,
      int maxKeysPerCreator) {
    this.serverKey = Objects.requireNonNull(serverKey, "serverKey");
    this.serverKeyRecord = serverKey.toKeyRecord(0);
    this.domain = Objects.requireNonNull(domain, "domain");
    if (!domain.isAbsolute()) {
      throw new IllegalArgumentException("tkey-domain must be absolute: " + domain);
    }
    if (maxLifetime.isNegative() || maxLifetime.isZero()) {
      throw new IllegalArgumentException("maxLifetime must be positive");
    }
    this.maxLifetime = maxLifetime;
    this.keys = Objects.requireNonNull(keys, "keys");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxKeys < 1 || maxKeysPerCreator < 1) {
      throw new IllegalArgumentException("key caps must be positive");
    }
    this.maxKeys = maxKeys;
    this.maxKeysPerCreator = maxKeysPerCreator;
  }

  /** Negotiations refused because a cap on negotiated keys was reached. */
  public long refusedOverCap() {
    return refusedOverCap.sum();
  }

  /**
   * The FORMERR BIND gives a TKEY query before it looks at what it asks, whether TKEY is configured
   * or not: no TKEY question, no TKEY record matching it, an error set in it, or no signature; null
   * for a query that passes.
   */
  public static TkeyOutcome malformed(Message request, TsigKey signer) {
    Record question = request.getQuestion();
    if (question == null || question.getType() != Type.TKEY) {
      return failure(request, Rcode.FORMERR, "no TKEY question");
    }
    TKEYRecord in = findTkey(request, question.getName());
    if (in == null) {
      return failure(request, Rcode.FORMERR, "no TKEY record matching the question");
    }
    if (in.getError() != Rcode.NOERROR) {
      return failure(request, Rcode.FORMERR, "TKEY query with error set");
    }
    if (signer == null) {
      return failure(request, Rcode.FORMERR, "TKEY query not signed");
    }
    return null;
  }

  /**
   * Processes a TKEY query.
   *
   * @param request the parsed query (qtype TKEY)
   * @param signer the key that verified the query's TSIG (or a key standing for the SIG(0) signer);
   *     null if the query was not signed, which gives FORMERR as in BIND
   */
  public TkeyOutcome process(Message request, TsigKey signer) {
    TkeyOutcome malformed = malformed(request, signer);
    if (malformed != null) {
      return malformed;
    }
    Name qname = request.getQuestion().getName();
    TKEYRecord in = findTkey(request, qname);
    switch (in.getMode()) {
      case TKEYRecord.DIFFIEHELLMAN:
        return diffieHellman(request, qname, in, signer);
      case TKEYRecord.DELETE:
        return delete(request, qname, in, signer);
      default:
        return answer(
            request,
            List.of(),
            tkey(qname, in, null, Instant.EPOCH, Instant.EPOCH, Rcode.BADMODE),
            Rcode.BADMODE,
            null,
            null,
            "mode " + in.getMode() + " not supported");
    }
  }

  private TkeyOutcome diffieHellman(Message request, Name qname, TKEYRecord in, TsigKey signer) {
    Name keyName;
    try {
      keyName = newKeyName(qname);
    } catch (NameTooLongException | TextParseException e) {
      return failure(request, Rcode.FORMERR, "key name too long");
    }
    if (keys.find(keyName).isPresent()) {
      return tkeyError(request, keyName, in, Rcode.BADNAME, "key " + keyName + " exists");
    }
    if (TsigAlgorithm.fromWireName(in.getAlgorithm()).orElse(null) != TsigAlgorithm.HMAC_MD5) {
      return tkeyError(
          request, keyName, in, Rcode.BADALG, "algorithm " + in.getAlgorithm() + " not hmac-md5");
    }
    KEYRecord clientKeyRecord = null;
    DhPublicValue clientKey = null;
    boolean incompatible = false;
    for (Record r : request.getSection(Section.ADDITIONAL)) {
      if (r.getType() != Type.KEY || ((KEYRecord) r).getAlgorithm() != DNSSEC.Algorithm.DH) {
        continue;
      }
      DhPublicValue v;
      try {
        v = DhPublicValue.fromKeyRecord((KEYRecord) r);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (v.sameParameters(serverKey.publicValue())) {
        clientKeyRecord = (KEYRecord) r;
        clientKey = v;
        break;
      }
      incompatible = true;
    }
    if (clientKey == null) {
      if (incompatible) {
        return tkeyError(request, keyName, in, Rcode.BADKEY, "client DH key in another group");
      }
      return failure(request, Rcode.FORMERR, "no DH KEY in the additional section");
    }
    Instant now = clock.instant();
    Instant expire = in.getTimeExpire();
    Instant bound = now.plus(maxLifetime).truncatedTo(ChronoUnit.SECONDS);
    if (expire.isAfter(bound)) {
      expire = bound;
    }
    if (!expire.isAfter(now)) {
      return tkeyError(request, keyName, in, Rcode.BADTIME, "requested key already expired");
    }
    Name creator = signer.identity();
    if (!keys.hasRoomForNegotiated(creator, maxKeys, maxKeysPerCreator)) {
      return overCap(request, creator);
    }
    byte[] shared = serverKey.agree(clientKey);
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    byte[] secret = TkeyDh.deriveSecret(shared, in.getKey(), nonce);
    TsigKey created =
        TsigKey.negotiated(keyName, TsigAlgorithm.HMAC_MD5, secret, expire, signer.identity());
    if (!keys.addNegotiated(created, maxKeys, maxKeysPerCreator)) {
      return overCap(request, creator); // a concurrent negotiation took the last place
    }
    List<Record> keyRecords = new ArrayList<>();
    keyRecords.add(clientKeyRecord);
    keyRecords.add(serverKeyRecord);
    return answer(
        request,
        keyRecords,
        tkey(keyName, in, nonce, in.getTimeInception(), expire, Rcode.NOERROR),
        Rcode.NOERROR,
        created,
        null,
        "negotiated " + keyName + " until " + expire);
  }

  /**
   * RFC 2930 has no TKEY error for "too many keys" (BIND has no such cap): the query is REFUSED, as
   * a policy refusal is.
   */
  private TkeyOutcome overCap(Message request, Name creator) {
    refusedOverCap.increment();
    return failure(
        request,
        Rcode.REFUSED,
        "too many negotiated keys (tkey-max-keys "
            + maxKeys
            + ", tkey-max-keys-per-client "
            + maxKeysPerCreator
            + " for "
            + creator
            + ")");
  }

  private TkeyOutcome delete(Message request, Name qname, TKEYRecord in, TsigKey signer) {
    Optional<TsigKey> key = keys.find(qname);
    if (key.isEmpty()
        || TsigAlgorithm.fromWireName(in.getAlgorithm()).orElse(null) != key.get().algorithm()) {
      return tkeyError(request, qname, in, Rcode.BADNAME, "no key " + qname);
    }
    if (!key.get().isNegotiated() || !key.get().identity().equals(signer.identity())) {
      return failure(
          request, Rcode.REFUSED, "key " + qname + " was not negotiated by " + signer.identity());
    }
    keys.remove(qname);
    return answer(
        request,
        List.of(),
        tkey(qname, in, null, Instant.EPOCH, Instant.EPOCH, Rcode.NOERROR),
        Rcode.NOERROR,
        null,
        qname,
        "deleted " + qname);
  }

  private Name newKeyName(Name qname) throws NameTooLongException, TextParseException {
    Name prefix;
    if (qname.equals(Name.root)) {
      byte[] r = new byte[16];
      random.nextBytes(r);
      prefix = Name.fromString(HexFormat.of().withUpperCase().formatHex(r));
    } else {
      prefix = qname.relativize(Name.root);
    }
    return Name.concatenate(prefix, domain);
  }

  private static TKEYRecord findTkey(Message request, Name qname) {
    for (int s : new int[] {Section.ADDITIONAL, Section.ANSWER}) {
      for (Record r : request.getSection(s)) {
        // Not a type check and a cast: dnsjava reads a record without RDATA in the answer or
        // authority section (an UPDATE's prerequisite or deletion) as an EmptyRecord of any type.
        if (r instanceof TKEYRecord tkey && r.getName().equals(qname)) {
          return tkey;
        }
      }
    }
    return null;
  }

  private static TKEYRecord tkey(
      Name owner, TKEYRecord in, byte[] key, Instant inception, Instant expire, int error) {
    return new TKEYRecord(
        owner,
        in.getDClass(),
        0,
        in.getAlgorithm(),
        inception,
        expire,
        in.getMode(),
        error,
        key,
        null);
  }

  private TkeyOutcome tkeyError(Message request, Name owner, TKEYRecord in, int error, String why) {
    return answer(
        request,
        List.of(),
        tkey(owner, in, null, Instant.EPOCH, Instant.EPOCH, error),
        error,
        null,
        null,
        why);
  }

  private static TkeyOutcome answer(
      Message request,
      List<Record> before,
      TKEYRecord tkey,
      int tkeyError,
      TsigKey created,
      Name deleted,
      String reason) {
    Message r = reply(request, Rcode.NOERROR);
    for (Record rec : before) {
      r.addRecord(rec, Section.ANSWER);
    }
    r.addRecord(tkey, Section.ANSWER);
    return new TkeyOutcome(r, Rcode.NOERROR, tkeyError, created, deleted, reason);
  }

  private static TkeyOutcome failure(Message request, int rcode, String reason) {
    return new TkeyOutcome(reply(request, rcode), rcode, 0, null, null, reason);
  }

  /**
   * A bare reply to {@code request}: its id, opcode, RD and CD, its question, and {@code rcode}.
   */
  static Message reply(Message request, int rcode) {
    Message r = new Message(request.getHeader().getID());
    Header h = r.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(request.getHeader().getOpcode());
    if (request.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    if (request.getHeader().getFlag(Flags.CD)) {
      h.setFlag(Flags.CD);
    }
    h.setRcode(rcode);
    Record q = request.getQuestion();
    if (q != null) {
      r.addRecord(q, Section.QUESTION);
    }
    return r;
  }
}
