package dev.vxdns.auth;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;

/** The RFC 8945 section 4.3 MAC computation, shared by verification and signing. */
final class TsigMac {
  private TsigMac() {}

  /**
   * A fresh keyed {@link Mac} for {@code key}, owned by the caller: a clone of the key's prototype,
   * or, when the provider cannot clone, a new one.
   */
  static Mac newMac(TsigKey key) {
    Mac prototype = key.macPrototype();
    if (prototype != null) {
      try {
        return (Mac) prototype.clone();
      } catch (CloneNotSupportedException notCloneable) {
        // a new one below
      }
    }
    return keyedMac(key.algorithm(), key.secretNoCopy());
  }

  /**
   * The keyed MAC a key clones, or null when the provider has no such HMAC (using the key then
   * fails).
   */
  static Mac prototype(TsigAlgorithm algorithm, byte[] secret) {
    try {
      return keyedMac(algorithm, secret);
    } catch (IllegalStateException unavailable) {
      return null;
    }
  }

  private static Mac keyedMac(TsigAlgorithm algorithm, byte[] secret) {
    try {
      Mac mac = Mac.getInstance(algorithm.jcaName());
      mac.init(new SecretKeySpec(secret, algorithm.jcaName()));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC unavailable: " + algorithm.jcaName(), e);
    }
  }

  /** A prior MAC (request MAC or previous message MAC): 2-octet length then the MAC. */
  static void addPriorMac(Mac mac, byte[] prior) {
    mac.update((byte) (prior.length >>> 8));
    mac.update((byte) prior.length);
    mac.update(prior);
  }

  /**
   * The message up to (not including) the TSIG record, as received, with the header's ID replaced
   * by the TSIG's Original ID and ARCOUNT decremented.
   */
  static void addReceivedMessage(Mac mac, byte[] wire, int tsigStart, int originalId) {
    byte[] header = new byte[12];
    System.arraycopy(wire, 0, header, 0, 12);
    header[0] = (byte) (originalId >>> 8);
    header[1] = (byte) originalId;
    int arcount = WireRecords.u16(wire, 10) - 1;
    header[10] = (byte) (arcount >>> 8);
    header[11] = (byte) arcount;
    mac.update(header);
    mac.update(wire, 12, tsigStart - 12);
  }

  /** TSIG variables of RFC 8945 section 4.3.3 (the first message of a stream, or a single one). */
  static void addVariables(
      Mac mac,
      Name keyName,
      int dclass,
      long ttl,
      Name algorithm,
      Instant timeSigned,
      Duration fudge,
      int error,
      byte[] other) {
    DNSOutput out = new DNSOutput();
    keyName.toWireCanonical(out);
    out.writeU16(dclass);
    out.writeU32(ttl);
    algorithm.toWireCanonical(out);
    writeTimers(out, timeSigned, fudge);
    out.writeU16(error);
    if (other == null) {
      out.writeU16(0);
    } else {
      out.writeU16(other.length);
      out.writeByteArray(other);
    }
    mac.update(out.toByteArray());
  }

  /** Only the timers, for messages after the first of a stream (RFC 8945 section 5.3.1). */
  static void addTimers(Mac mac, Instant timeSigned, Duration fudge) {
    DNSOutput out = new DNSOutput();
    writeTimers(out, timeSigned, fudge);
    mac.update(out.toByteArray());
  }

  static byte[] time48(Instant t) {
    DNSOutput out = new DNSOutput();
    long s = t.getEpochSecond();
    out.writeU16((int) (s >>> 32) & 0xFFFF);
    out.writeU32(s & 0xFFFFFFFFL);
    return out.toByteArray();
  }

  private static void writeTimers(DNSOutput out, Instant timeSigned, Duration fudge) {
    out.writeByteArray(time48(timeSigned));
    out.writeU16((int) fudge.getSeconds());
  }

  static byte[] truncate(byte[] mac, int length) {
    if (mac.length == length) {
      return mac;
    }
    byte[] t = new byte[length];
    System.arraycopy(mac, 0, t, 0, length);
    return t;
  }
}
