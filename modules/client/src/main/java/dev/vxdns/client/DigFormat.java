package dev.vxdns.client;

import java.util.HexFormat;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/** A message as BIND's dig prints it: header, flags, pseudo-sections, sections. */
final class DigFormat {
  private DigFormat() {}

  /**
   * @param shown question, answer, authority and additional sections shown or not
   */
  static String message(
      Message message, int size, boolean query, boolean comments, boolean[] shown) {
    StringBuilder out = new StringBuilder();
    Header header = message.getHeader();
    OPTRecord opt = message.getOPT();
    if (comments) {
      int rcode = message.getRcode();
      out.append(";; ->>HEADER<<- opcode: ")
          .append(Opcode.string(header.getOpcode()))
          .append(", status: ")
          .append(Rcode.string(rcode))
          .append(", id: ")
          .append(header.getID())
          .append('\n');
      out.append(";; flags:").append(flags(header)).append("; ");
      out.append("QUERY: ").append(header.getCount(Section.QUESTION));
      out.append(", ANSWER: ").append(header.getCount(Section.ANSWER));
      out.append(", AUTHORITY: ").append(header.getCount(Section.AUTHORITY));
      out.append(", ADDITIONAL: ").append(header.getCount(Section.ADDITIONAL)).append('\n');
      if (!query && header.getFlag(Flags.RD) && !header.getFlag(Flags.RA)) {
        out.append(";; WARNING: recursion requested but not available\n");
      }
      out.append('\n');
      if (opt != null) {
        out.append(";; OPT PSEUDOSECTION:\n").append(opt(opt));
      }
    }
    String[] titles = {"QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL"};
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      if (!shown[section]) {
        continue;
      }
      List<Record> records =
          message.getSection(section).stream()
              .filter(r -> r.getType() != Type.OPT && r.getType() != Type.TSIG)
              .toList();
      if (records.isEmpty()) {
        continue;
      }
      if (comments) {
        out.append(";; ").append(titles[section]).append(" SECTION:\n");
      }
      for (Record record : records) {
        out.append(section == Section.QUESTION ? question(record) : record.toString()).append('\n');
      }
      out.append('\n');
    }
    TSIGRecord tsig = message.getTSIG();
    if (tsig != null && comments) {
      out.append(";; TSIG PSEUDOSECTION:\n").append(tsig).append("\n\n");
    }
    if (query) {
      out.append(";; QUERY SIZE: ").append(size).append('\n');
    }
    return out.toString();
  }

  private static String question(Record record) {
    return ";"
        + record.getName()
        + "\t\t\t"
        + org.xbill.DNS.DClass.string(record.getDClass())
        + "\t"
        + Type.string(record.getType());
  }

  private static String flags(Header header) {
    StringBuilder out = new StringBuilder();
    int[] order = {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD};
    for (int flag : order) {
      if (header.getFlag(flag)) {
        out.append(' ').append(Flags.string(flag));
      }
    }
    return out.toString();
  }

  private static String opt(OPTRecord opt) {
    StringBuilder out = new StringBuilder();
    out.append("; EDNS: version: ")
        .append(opt.getVersion())
        .append(", flags:")
        .append((opt.getFlags() & Flags.DO) != 0 ? " do" : "")
        .append("; udp: ")
        .append(opt.getPayloadSize())
        .append('\n');
    for (EDNSOption option : opt.getOptions()) {
      out.append("; ").append(option(option)).append('\n');
    }
    return out.toString();
  }

  private static String option(EDNSOption option) {
    int code = option.getCode();
    if (option instanceof ClientSubnetOption ecs) {
      return "CLIENT-SUBNET: "
          + ecs.getAddress().getHostAddress()
          + "/"
          + ecs.getSourcePrefixLength()
          + "/"
          + ecs.getScopePrefixLength();
    }
    if (option instanceof ExtendedErrorCodeOption ede) {
      return "EDE: "
          + ede.getErrorCode()
          + (ede.getText() == null || ede.getText().isEmpty() ? "" : " (" + ede.getText() + ")");
    }
    byte[] data = option.toWire();
    // toWire carries the code and length first
    String hex = HexFormat.of().withUpperCase().formatHex(data, 4, data.length);
    String name = EDNSOption.Code.string(code);
    switch (code) {
      case EDNSOption.Code.NSID:
        return "NSID: " + hex + " (\"" + printable(data, 4) + "\")";
      case EDNSOption.Code.COOKIE:
        return "COOKIE: " + hex.toLowerCase(java.util.Locale.ROOT);
      default:
        return (name.startsWith("Code") || name.matches("[0-9]+") ? "OPT=" + code : name)
            + ": "
            + hex;
    }
  }

  private static String printable(byte[] data, int from) {
    StringBuilder out = new StringBuilder();
    for (int i = from; i < data.length; i++) {
      char c = (char) (data[i] & 0xff);
      out.append(c >= 0x20 && c < 0x7f ? c : '.');
    }
    return out.toString();
  }
}
