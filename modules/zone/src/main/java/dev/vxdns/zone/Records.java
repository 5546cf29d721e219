package dev.vxdns.zone;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Records as error messages and logs show them. */
public final class Records {
  private Records() {}

  /**
   * One line, fields separated by single spaces ({@code Record.toString()} pads with tabs, which
   * reads badly inside a message); no RDATA part when the record has none (an update's class ANY or
   * NONE records).
   */
  public static String describe(Record record) {
    return record.getName()
        + " "
        + record.getTTL()
        + " "
        + DClass.string(record.getDClass())
        + " "
        + Type.string(record.getType())
        + (record.rdataToWireCanonical().length == 0 ? "" : " " + record.rdataToString());
  }
}
