package dev.vxdns.verticles.zone;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.Json;

/**
 * BIND's node-wide zone-transfer options ({@code options}; named also has them per view).
 *
 * @param transfersOut {@code transfers-out}: outgoing transfers at once (0: no limit)
 * @param transfersIn {@code transfers-in}: incoming transfers at once
 * @param transfersPerNs {@code transfers-per-ns}: incoming transfers at once from one primary
 * @param provideIxfr {@code provide-ixfr}: IXFR over TCP is answered with changes where the history
 *     allows (else always with the whole zone; over UDP with the SOA alone)
 * @param serialQueryRate {@code serial-query-rate}: SOA queries to primaries a second, at most
 * @param notifyRate {@code notify-rate}: NOTIFY messages a second after changes, at most
 * @param startupNotifyRate {@code startup-notify-rate}: NOTIFY messages a second after zones' first
 *     loads (a start, zones added), at most
 */
public record TransferOptions(
    int transfersOut,
    int transfersIn,
    int transfersPerNs,
    boolean provideIxfr,
    int serialQueryRate,
    int notifyRate,
    int startupNotifyRate) {
  /** BIND 9.20's defaults. */
  public static final TransferOptions DEFAULTS = new TransferOptions(10, 10, 2, true, 20, 20, 20);

  static final String[] KEYS = {
    "transfers-out",
    "transfers-in",
    "transfers-per-ns",
    "provide-ixfr",
    "serial-query-rate",
    "notify-rate",
    "startup-notify-rate"
  };

  /** The same with another {@code transfers-out}. */
  TransferOptions withTransfersOut(int limit) {
    return new TransferOptions(
        limit,
        transfersIn,
        transfersPerNs,
        provideIxfr,
        serialQueryRate,
        notifyRate,
        startupNotifyRate);
  }

  static TransferOptions parse(Json options) throws ConfigException {
    return new TransferOptions(
        options.integer("transfers-out", DEFAULTS.transfersOut(), 0, Integer.MAX_VALUE),
        options.integer("transfers-in", DEFAULTS.transfersIn(), 1, Integer.MAX_VALUE),
        options.integer("transfers-per-ns", DEFAULTS.transfersPerNs(), 1, Integer.MAX_VALUE),
        options.bool("provide-ixfr", DEFAULTS.provideIxfr()),
        options.integer("serial-query-rate", DEFAULTS.serialQueryRate(), 1, 1_000_000),
        notifyRate(options, "notify-rate"),
        notifyRate(options, "startup-notify-rate"));
  }

  /** As named: the lowest rate is one a second, and 0 is raised to it. */
  private static int notifyRate(Json options, String key) throws ConfigException {
    return Math.max(1, options.integer(key, 20, 0, 1_000_000));
  }
}
