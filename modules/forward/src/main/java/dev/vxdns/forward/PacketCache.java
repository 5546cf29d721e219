package dev.vxdns.forward;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One shard of the forwarder's packet cache: answers in wire form, bounded in entries and bytes
 * (least recently used go first), each kept no longer than its smallest TTL and handed out with its
 * TTLs aged. Negative answers (NXDOMAIN, NODATA) are kept for the SOA's negative TTL, RFC 2308
 * section 5, and not at all without a SOA; errors and truncated answers are never kept.
 *
 * <p>Not thread-safe: each event loop has its own shard, so a lookup takes no lock.
 */
public final class PacketCache {
  /** Bookkeeping bytes counted per entry beyond its key and answer. */
  private static final int ENTRY_OVERHEAD = 96;

  private final int maxEntries;
  private final long maxBytes;
  private final long maxTtl;
  private final CacheCounters counters;
  private final LinkedHashMap<CacheKey, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
  private long bytes;

  private record Entry(byte[] wire, int[] ttlOffsets, long storedMillis, long expiresMillis) {
    int size(CacheKey key) {
      return wire.length + key.size() + ENTRY_OVERHEAD;
    }
  }

  /**
   * @param maxTtl the longest time an answer is kept, in seconds, whatever its TTL
   */
  public PacketCache(int maxEntries, long maxBytes, long maxTtl, CacheCounters counters) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.maxTtl = maxTtl;
    this.counters = counters;
  }

  /**
   * The cached answer for {@code key} as a new array, with {@code id} as its ID and its TTLs
   * lowered by the time it spent here; null on a miss (an expired entry is removed).
   */
  public byte[] get(CacheKey key, int id, long nowMillis) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (nowMillis >= entry.expiresMillis) {
      remove(key, entry);
      return null;
    }
    byte[] wire = entry.wire.clone();
    wire[0] = (byte) (id >>> 8);
    wire[1] = (byte) id;
    long aged = (nowMillis - entry.storedMillis) / 1000;
    for (int offset : entry.ttlOffsets) {
      long ttl = Wire.u32(wire, offset);
      Wire.put32(wire, offset, Math.max(0, ttl - aged));
    }
    return wire;
  }

  /** Counts a lookup that found nothing (a query may try two keys before it misses). */
  public void countMiss() {
    counters.misses.increment();
  }

  /** Counts an answer served from the cache. */
  public void countHit() {
    counters.hits.increment();
  }

  /** Keeps {@code response} (its wire form {@code wire}) under {@code key} if it may be cached. */
  public void put(CacheKey key, Message response, byte[] wire, long nowMillis) {
    long ttl = ttl(response);
    if (ttl <= 0) {
      return;
    }
    int[] offsets;
    try {
      offsets = Wire.ttlOffsets(wire);
    } catch (IndexOutOfBoundsException malformed) {
      return;
    }
    Entry entry = new Entry(wire, offsets, nowMillis, nowMillis + Math.min(ttl, maxTtl) * 1000);
    Entry old = entries.put(key, entry);
    if (old != null) {
      bytes -= old.size(key);
    }
    bytes += entry.size(key);
    counters.inserts.increment();
    Iterator<Map.Entry<CacheKey, Entry>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
      Map.Entry<CacheKey, Entry> gone = eldest.next();
      bytes -= gone.getValue().size(gone.getKey());
      eldest.remove();
      counters.evictions.increment();
    }
  }

  public int size() {
    return entries.size();
  }

  public long bytes() {
    return bytes;
  }

  private void remove(CacheKey key, Entry entry) {
    entries.remove(key);
    bytes -= entry.size(key);
  }

  /**
   * How long an answer may be kept, in seconds; 0 when it may not: the smallest TTL of its records
   * (OPT aside), or for a negative answer the SOA's negative TTL (RFC 2308 section 5: min(SOA TTL,
   * SOA MINIMUM)).
   */
  static long ttl(Message response) {
    int rcode = response.getRcode();
    if (response.getHeader().getFlag(Flags.TC)
        || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)) {
      return 0;
    }
    boolean negative = rcode == Rcode.NXDOMAIN || response.getSection(Section.ANSWER).isEmpty();
    if (negative) {
      for (Record record : response.getSection(Section.AUTHORITY)) {
        if (record instanceof SOARecord soa) {
          return Math.min(soa.getTTL(), soa.getMinimum());
        }
      }
      return 0;
    }
    long ttl = Long.MAX_VALUE;
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      for (Record record : response.getSection(section)) {
        if (!(record instanceof OPTRecord) && record.getType() != Type.TSIG) {
          ttl = Math.min(ttl, record.getTTL());
        }
      }
    }
    return ttl;
  }
}
