package dev.vxdns.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TKEYRecord;
import org.xbill.DNS.Type;

/**
 * The client side of TKEY mode 2 and mode 5, compatible with BIND 9.18 (lib/dns/tkey.c
 * dns_tkey_builddhquery / dns_tkey_processdhresponse). The queries it builds must be signed by the
 * caller (e.g. {@code query.setTSIG(existingKey.toDnsjava())} or dnsjava's {@code TSIG.apply})
 * before they are sent.
 */
public final class TkeyClient {
  /** Octets of client randomness in the query TKEY. */
  public static final int NONCE_LENGTH = 16;

  private final DhKey clientKey;
  private final SecureRandom random;
  private final Clock clock;

  public TkeyClient(DhKey clientKey, SecureRandom random, Clock clock) {
    this.clientKey = Objects.requireNonNull(clientKey, "clientKey");
    this.random = Objects.requireNonNull(random, "random");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A DH TKEY query not yet sent, with the nonce needed to derive the key from the answer. */
  public static final class DhQuery {
    private final Message message;
    private final byte[] nonce;

    DhQuery(Message message, byte[] nonce) {
      this.message = message;
      this.nonce = nonce.clone();
    }

    /** The query to sign and send. */
    public Message message() {
      return message;
    }

    byte[] nonce() {
      return nonce;
    }
  }

  /**
   * Builds a DH TKEY query: question {@code qname ANY TKEY}; additional section: TKEY (owner qname,
   * algorithm hmac-md5, inception now, expiration now + lifetime, mode 2, key data = 16 random
   * octets) and the client's DH KEY record. The server names the key {@code qname + tkey-domain}.
   */
  public DhQuery buildDhQuery(Name qname, Duration lifetime) {
    Instant now = clock.instant();
    byte[] nonce = new byte[NONCE_LENGTH];
    random.nextBytes(nonce);
    Message m = new Message();
    m.addRecord(Record.newRecord(qname, Type.TKEY, DClass.ANY), Section.QUESTION);
    m.addRecord(
        new TKEYRecord(
            qname,
            DClass.ANY,
            0,
            TsigAlgorithm.HMAC_MD5.wireName(),
            now,
            now.plus(lifetime),
            TKEYRecord.DIFFIEHELLMAN,
            Rcode.NOERROR,
            nonce,
            null),
        Section.ADDITIONAL);
    m.addRecord(clientKey.toKeyRecord(0), Section.ADDITIONAL);
    return new DhQuery(m, nonce);
  }

  /**
   * Derives the negotiated key from the server's answer: the TKEY record of the answer section (its
   * owner is the key name, its key data the server nonce) and the server's DH KEY (the KEY in the
   * answer whose owner is not the client key's name).
   *
   * <p>The response must already be TSIG-verified with the key that signed the query (as dnsjava's
   * resolver or {@code TSIG.verify} mark it): an unsigned answer could carry an attacker's DH key,
   * and dnsjava's resolver only logs a failed check.
   *
   * @throws TkeyException if the response is not verified, carries an error or lacks a record
   */
  public TsigKey processDhResponse(DhQuery query, Message response) throws TkeyException {
    if (!response.isSigned() || !response.isVerified()) {
      throw new TkeyException(
          "TKEY response is not signed with the key that signed the query", Rcode.NOTAUTH, 0);
    }
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR) {
      throw new TkeyException("TKEY response rcode " + Rcode.string(rcode), rcode, 0);
    }
    TKEYRecord tkey = answerTkey(response);
    if (tkey.getError() != Rcode.NOERROR) {
      throw new TkeyException(
          "TKEY error " + Rcode.TSIGstring(tkey.getError()), rcode, tkey.getError());
    }
    if (tkey.getMode() != TKEYRecord.DIFFIEHELLMAN
        || !tkey.getAlgorithm().equals(TsigAlgorithm.HMAC_MD5.wireName())) {
      throw new TkeyException("TKEY answer with mode " + tkey.getMode(), rcode, 0);
    }
    boolean ourKeyEchoed = false;
    KEYRecord theirs = null;
    for (Record r : response.getSection(Section.ANSWER)) {
      // instanceof, not the type: a KEY without RDATA in the answer is an EmptyRecord.
      if (!(r instanceof KEYRecord key)) {
        continue;
      }
      if (r.getName().equals(clientKey.name())) {
        ourKeyEchoed = true;
      } else if (theirs == null && key.getAlgorithm() == DNSSEC.Algorithm.DH) {
        theirs = key;
      }
    }
    if (!ourKeyEchoed) {
      throw new TkeyException("client KEY not echoed in the answer", rcode, 0);
    }
    if (theirs == null) {
      throw new TkeyException("no server DH KEY in the answer", rcode, 0);
    }
    DhPublicValue server;
    try {
      server = DhPublicValue.fromKeyRecord(theirs);
    } catch (IllegalArgumentException e) {
      throw new TkeyException("bad server DH KEY: " + e.getMessage(), rcode, 0);
    }
    byte[] shared;
    try {
      shared = clientKey.agree(server);
    } catch (IllegalArgumentException e) {
      throw new TkeyException(e.getMessage(), rcode, 0);
    }
    byte[] secret = TkeyDh.deriveSecret(shared, query.nonce(), tkey.getKey());
    return TsigKey.negotiated(
        tkey.getName(), TsigAlgorithm.HMAC_MD5, secret, tkey.getTimeExpire(), null);
  }

  /** A mode 5 (deletion) query for {@code key}; sign it (BIND accepts the key itself). */
  public static Message buildDeleteQuery(TsigKey key) {
    Message m = new Message();
    m.addRecord(Record.newRecord(key.name(), Type.TKEY, DClass.ANY), Section.QUESTION);
    m.addRecord(
        new TKEYRecord(
            key.name(),
            DClass.ANY,
            0,
            key.algorithm().wireName(),
            Instant.EPOCH,
            Instant.EPOCH,
            TKEYRecord.DELETE,
            Rcode.NOERROR,
            null,
            null),
        Section.ADDITIONAL);
    return m;
  }

  /** Checks a deletion answer. */
  public static void checkDeleteResponse(Message response) throws TkeyException {
    int rcode = response.getRcode();
    if (rcode != Rcode.NOERROR) {
      throw new TkeyException("TKEY response rcode " + Rcode.string(rcode), rcode, 0);
    }
    TKEYRecord tkey = answerTkey(response);
    if (tkey.getError() != Rcode.NOERROR || tkey.getMode() != TKEYRecord.DELETE) {
      throw new TkeyException(
          "TKEY delete failed: error " + Rcode.TSIGstring(tkey.getError()), rcode, tkey.getError());
    }
  }

  private static TKEYRecord answerTkey(Message response) throws TkeyException {
    for (Record r : response.getSection(Section.ANSWER)) {
      // instanceof, not the type: a TKEY without RDATA in the answer is an EmptyRecord.
      if (r instanceof TKEYRecord tkey) {
        return tkey;
      }
    }
    throw new TkeyException("no TKEY record in the answer", response.getRcode(), 0);
  }
}
