package dev.vxdns.forward;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * EDNS Client Subnet (RFC 7871) towards a backend, as dnsdist's {@code useClientSubnet} does it:
 * the query gets the client's address cut to a source prefix (24 for IPv4, 56 for IPv6 by default),
 * a client's own option is kept unless the backend overrides it, and the response loses what the
 * client did not send (the option, or the whole OPT record when the client sent no EDNS).
 *
 * @param v4Prefix the source prefix length for IPv4 clients
 * @param v6Prefix the source prefix length for IPv6 clients
 * @param override replace a client's own option
 */
public record ClientSubnet(int v4Prefix, int v6Prefix, boolean override) {
  /** dnsdist's defaults: /24 and /56, a client's own option kept. */
  public static final ClientSubnet DEFAULT = new ClientSubnet(24, 56, false);

  /** Stands for "no ECS" where a key is needed (a set of the settings a pool's backends use). */
  public static final ClientSubnet DEFAULT_OFF = new ClientSubnet(0, 0, false);

  /** The EDNS payload size of an OPT record added to a query that had none (as dnsdist). */
  public static final int ADDED_PAYLOAD_SIZE = 1232;

  public ClientSubnet {
    if (v4Prefix < 0 || v4Prefix > 32 || v6Prefix < 0 || v6Prefix > 128) {
      throw new IllegalArgumentException("prefix out of range");
    }
  }

  /** What the query looked like before the option was added, for the way back. */
  public record Sent(Message query, boolean clientEdns, boolean clientEcs) {}

  /** Whether the client's query carries EDNS, and an ECS option. */
  public static boolean hasEcs(Message query) {
    OPTRecord opt = query.getOPT();
    return opt != null && !opt.getOptions(EDNSOption.Code.CLIENT_SUBNET).isEmpty();
  }

  /**
   * A copy of {@code query} carrying the client's subnet: added when the client sent none, replaced
   * when it did and {@link #override}, else left as the client sent it.
   */
  public Sent apply(Message query, InetAddress client) {
    OPTRecord opt = query.getOPT();
    boolean clientEcs = hasEcs(query);
    Message edited = query.clone();
    if (clientEcs && !override) {
      return new Sent(edited, true, true);
    }
    int prefix = client instanceof Inet4Address ? v4Prefix : v6Prefix;
    ClientSubnetOption subnet =
        new ClientSubnetOption(prefix, org.xbill.DNS.Address.truncate(client, prefix));
    List<EDNSOption> options = new ArrayList<>();
    if (opt != null) {
      for (EDNSOption option : opt.getOptions()) {
        if (option.getCode() != EDNSOption.Code.CLIENT_SUBNET) {
          options.add(option);
        }
      }
    }
    options.add(subnet);
    OPTRecord replaced =
        opt == null
            ? new OPTRecord(ADDED_PAYLOAD_SIZE, 0, 0, 0, options)
            : new OPTRecord(
                opt.getPayloadSize(),
                opt.getExtendedRcode(),
                opt.getVersion(),
                opt.getFlags(),
                options);
    replaceOpt(edited, replaced);
    return new Sent(edited, opt != null, clientEcs);
  }

  /**
   * The response as the client expects it after {@link #apply}: the OPT record removed when the
   * client sent no EDNS, the ECS option removed when it sent EDNS without one (the seed's table).
   */
  public static void restore(Message response, boolean clientEdns, boolean clientEcs) {
    OPTRecord opt = response.getOPT();
    if (opt == null || clientEcs) {
      return;
    }
    if (!clientEdns) {
      removeOpt(response);
      return;
    }
    List<EDNSOption> kept = new ArrayList<>();
    for (EDNSOption option : opt.getOptions()) {
      if (option.getCode() != EDNSOption.Code.CLIENT_SUBNET) {
        kept.add(option);
      }
    }
    if (kept.size() != opt.getOptions().size()) {
      replaceOpt(
          response,
          new OPTRecord(
              opt.getPayloadSize(),
              opt.getExtendedRcode(),
              opt.getVersion(),
              opt.getFlags(),
              kept));
    }
  }

  /**
   * The scope prefix of the response's ECS option, or -1 without one: 0 means the answer is the
   * same for every client (RFC 7871 7.2.1), so a cache may keep it under the query without ECS.
   */
  public static int scope(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return -1;
    }
    for (EDNSOption option : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
      return ((ClientSubnetOption) option).getScopePrefixLength();
    }
    return -1;
  }

  private static void removeOpt(Message message) {
    List<Record> others = new ArrayList<>();
    for (Record record : message.getSection(Section.ADDITIONAL)) {
      if (!(record instanceof OPTRecord)) {
        others.add(record);
      }
    }
    message.removeAllRecords(Section.ADDITIONAL);
    others.forEach(r -> message.addRecord(r, Section.ADDITIONAL));
  }

  private static void replaceOpt(Message message, OPTRecord opt) {
    // The OPT goes before a TSIG, which must stay last; the forwarder strips TSIG anyway.
    removeOpt(message);
    message.addRecord(opt, Section.ADDITIONAL);
  }
}
