package dev.vxdns.zone;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Outgoing zone transfers: AXFR (RFC 5936) of a {@link Zone} and IXFR (RFC 1995) from its {@link
 * Zone#history()}, as lazy sequences of response messages.
 *
 * <p>Each message is a copy of the caller's response skeleton (id, opcode, flags, OPT) with AA set;
 * only the first keeps the question. Records fill a message until their uncompressed size would
 * pass {@code budget} octets, so a message with its compression, a TSIG record and the OPT always
 * stays far below 65535 (BIND packs up to 64 KiB; a smaller budget keeps every message a small,
 * bounded piece of memory). Nothing is rendered or copied ahead of the message being asked for.
 */
public final class ZoneTransfers {
  /** The default record budget of one message, in uncompressed octets. */
  public static final int DEFAULT_BUDGET = 16 * 1024;

  private ZoneTransfers() {}

  /** The AXFR of the zone: its SOA, every other record, the SOA again. */
  public static Iterator<Message> axfr(Zone zone, Message skeleton, int budget) {
    return pack(axfrRecords(zone), skeleton, budget);
  }

  /**
   * The IXFR answer for a client at {@code clientSerial}: the current SOA alone when the client is
   * up to date (same or newer serial, RFC 1982), the incremental changes when the history reaches
   * back to the client's serial and they are at most {@code maxRatio} percent of the zone (BIND's
   * {@code max-ixfr-ratio}, 0 for no limit), and otherwise the whole zone in AXFR form (RFC 1995
   * section 4).
   */
  public static Iterator<Message> ixfr(
      Zone zone, long clientSerial, int maxRatio, Message skeleton, int budget) {
    return pack(ixfrRecords(zone, clientSerial, maxRatio), skeleton, budget);
  }

  /**
   * The IXFR answer over UDP (RFC 1995 section 2): the whole answer when it fits in one message of
   * {@code maxLength} octets, otherwise the current SOA alone, which tells the client to retry over
   * TCP.
   */
  public static Message ixfrOverUdp(
      Zone zone, long clientSerial, int maxRatio, Message skeleton, int maxLength) {
    Iterator<Record> records = ixfrRecords(zone, clientSerial, maxRatio);
    Message whole = copy(skeleton, true);
    // Uncompressed sizes bound the work: beyond a full stream message it cannot fit a datagram.
    int uncompressed = 0;
    while (records.hasNext()) {
      Record record = records.next();
      uncompressed += record.toWire(Section.ANSWER).length;
      if (uncompressed > Message.MAXLENGTH) {
        return soaOnly(zone, skeleton);
      }
      whole.addRecord(record, Section.ANSWER);
    }
    return whole.toWire().length <= maxLength ? whole : soaOnly(zone, skeleton);
  }

  /** The records of an IXFR answer in order, as {@link #ixfr} describes. */
  static Iterator<Record> ixfrRecords(Zone zone, long clientSerial, int maxRatio) {
    if (Serials.atLeast(clientSerial, zone.serial())) {
      return List.<Record>of(zone.soa()).iterator();
    }
    List<ZoneDiff> history = zone.history();
    int start = -1;
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).fromSerial() == clientSerial) {
        start = i;
        break;
      }
    }
    boolean reachesCurrent =
        start >= 0 && history.get(history.size() - 1).toSerial() == zone.serial();
    if (!reachesCurrent || overRatio(history.subList(start, history.size()), zone, maxRatio)) {
      return axfrRecords(zone);
    }
    List<Record> records = new ArrayList<>();
    records.add(zone.soa());
    for (ZoneDiff diff : history.subList(start, history.size())) {
      records.add(diff.from());
      records.addAll(diff.deleted());
      records.add(diff.to());
      records.addAll(diff.added());
    }
    records.add(zone.soa());
    return records.iterator();
  }

  /**
   * Whether the changes are more than {@code maxRatio} percent of the zone, as BIND's xfrout.c
   * falls back to AXFR; counted in records (each change's two SOAs included), where BIND counts the
   * journal's octets against the zone's.
   */
  private static boolean overRatio(List<ZoneDiff> changes, Zone zone, int maxRatio) {
    if (maxRatio == 0) {
      return false;
    }
    long records = 0;
    for (ZoneDiff change : changes) {
      records += 2L + change.deleted().size() + change.added().size();
    }
    return 100 * records / zone.recordCount() > maxRatio;
  }

  /** The answer that carries the zone's current SOA alone. */
  public static Message soaOnly(Zone zone, Message skeleton) {
    Message answer = copy(skeleton, true);
    answer.addRecord(zone.soa(), Section.ANSWER);
    return answer;
  }

  /**
   * SOA, every record but the SOA in the zone's order, SOA: made one name at a time as the transfer
   * goes ({@link Zone#stream}), never the whole zone at once.
   */
  private static Iterator<Record> axfrRecords(Zone zone) {
    Iterator<Record> records = zone.stream();
    SOARecord soa = zone.soa();
    return new Iterator<>() {
      private boolean soaSent;

      @Override
      public boolean hasNext() {
        return !soaSent;
      }

      @Override
      public Record next() {
        if (soaSent) {
          throw new NoSuchElementException();
        }
        if (records.hasNext()) {
          return records.next();
        }
        soaSent = true;
        return soa;
      }
    };
  }

  /** Cuts a record sequence into messages of at most {@code budget} uncompressed record octets. */
  private static Iterator<Message> pack(Iterator<Record> records, Message skeleton, int budget) {
    if (budget < 512) {
      throw new IllegalArgumentException("a transfer message budget below 512 octets: " + budget);
    }
    return new Iterator<>() {
      private boolean first = true;
      private Record carried;

      @Override
      public boolean hasNext() {
        return carried != null || records.hasNext();
      }

      @Override
      public Message next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Message message = copy(skeleton, first);
        first = false;
        int size = 0;
        while (carried != null || records.hasNext()) {
          Record record = carried != null ? carried : records.next();
          carried = null;
          int length = record.toWire(Section.ANSWER).length;
          if (size > 0 && size + length > budget) {
            carried = record;
            break;
          }
          message.addRecord(record, Section.ANSWER);
          size += length;
        }
        return message;
      }
    };
  }

  /** A message of the transfer: the skeleton's header and OPT, AA set, the question if first. */
  private static Message copy(Message skeleton, boolean withQuestion) {
    Message message = skeleton.clone();
    message.getHeader().setFlag(Flags.AA);
    message.removeAllRecords(Section.ANSWER);
    if (!withQuestion) {
      message.removeAllRecords(Section.QUESTION);
    }
    return message;
  }
}
