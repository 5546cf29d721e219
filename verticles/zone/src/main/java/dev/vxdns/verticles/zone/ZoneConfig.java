package dev.vxdns.verticles.zone;

import dev.vxdns.auth.TsigKey;
import dev.vxdns.journal.JournalSizes;
import dev.vxdns.secondary.Primary;
import dev.vxdns.secondary.RefreshLimits;
import dev.vxdns.secondary.SourceAddresses;
import dev.vxdns.secondary.TransferLimits;
import dev.vxdns.update.SerialUpdateMethod;
import dev.vxdns.update.UpdatePolicy;
import dev.vxdns.zone.ZoneRules;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A zone of the {@code zone} object as the zone engine sees it. The access lists a zone overrides
 * are the ACL stage's.
 *
 * @param name the canonical zone name, with the trailing dot
 * @param file the master file: read at start for a primary; for a secondary written after each
 *     transfer (and read at start, so a restart serves at once), or null to keep it in memory only
 * @param journal where changes are journaled before they are acknowledged ({@code journal}, default
 *     the file's name + {@code .jnl}); null for a secondary without a file
 * @param updatePolicy BIND's {@code update-policy}, or null when the zone has none ({@code
 *     allow-update}, checked by the ACL stage, then decides alone)
 * @param serialUpdateMethod {@code serial-update-method}
 * @param maxJournalBytes {@code max-journal-size} as {@link JournalSizes#parse} reads it; the
 *     oldest changes are dropped beyond it
 * @param syncInterval how long after a change the journal is folded into the zone file
 * @param notifyMode whom to tell of a change: the NS hosts and {@code also-notify}, only the
 *     latter, or nobody ({@code primary-only} already resolved by the zone's type)
 * @param notifyToSoa {@code notify-to-soa}: the NS host that the SOA MNAME names is told too
 * @param alsoNotify extra NOTIFY targets
 * @param notifySource {@code notify-source} and {@code notify-source-v6}: the local addresses
 *     NOTIFYs are sent from
 * @param notifyDelay {@code notify-delay}: after a set of NOTIFYs, how long a change waits before
 *     the next set tells of it (zero: no wait)
 * @param primaries where a secondary transfers the zone from, tried in order
 * @param transferSource {@code transfer-source} and {@code transfer-source-v6}: the local addresses
 *     a secondary asks its primaries from (SOA queries, transfers, forwarded updates)
 * @param maxIxfrRatio {@code max-ixfr-ratio}: an IXFR whose changes are more than this percentage
 *     of the zone goes as the whole zone; 0 for no limit
 * @param requestIxfr {@code request-ixfr}: a secondary asks its primaries for IXFR (else AXFR
 *     always)
 * @param refreshLimits a secondary's {@code min/max-refresh-time} and {@code min/max-retry-time}
 * @param transferLimits a secondary's bounds on each transfer in, with {@code
 *     max-transfer-time-in}, {@code max-transfer-idle-in} and {@code min-transfer-rate-in}
 * @param ixfrFromDifferences {@code ixfr-from-differences} for this zone's type: a primary whose
 *     file is read again, or a secondary that receives the whole zone, keeps the change from the
 *     version it served, so IXFR can send it
 * @param rules {@code max-records-per-type}, {@code max-types-per-name}, {@code max-records} and
 *     {@code check-names}: what a load, a transfer or an update must obey
 */
public record ZoneConfig(
    String name,
    ZoneType type,
    Path file,
    Path journal,
    UpdatePolicy updatePolicy,
    SerialUpdateMethod serialUpdateMethod,
    long maxJournalBytes,
    Duration syncInterval,
    NotifyMode notifyMode,
    boolean notifyToSoa,
    List<Target> alsoNotify,
    SourceAddresses notifySource,
    Duration notifyDelay,
    List<Primary> primaries,
    SourceAddresses transferSource,
    int maxIxfrRatio,
    boolean requestIxfr,
    RefreshLimits refreshLimits,
    TransferLimits transferLimits,
    boolean ixfrFromDifferences,
    ZoneRules rules) {
  /** BIND 9.20's {@code max-ixfr-ratio} default, percent. */
  static final int DEFAULT_MAX_IXFR_RATIO = 100;

  public ZoneConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(transferLimits, "transferLimits");
    Objects.requireNonNull(notifySource, "notifySource");
    Objects.requireNonNull(notifyDelay, "notifyDelay");
    Objects.requireNonNull(transferSource, "transferSource");
    alsoNotify = List.copyOf(alsoNotify);
    primaries = List.copyOf(primaries);
  }

  public enum ZoneType {
    PRIMARY,
    SECONDARY
  }

  /**
   * BIND's {@code notify yes | explicit | no | primary-only}; a zone's config holds {@code
   * primary-only} as {@code YES} for a primary zone and {@code NO} for a secondary one, as named
   * reads it.
   */
  public enum NotifyMode {
    YES,
    EXPLICIT,
    NO,
    PRIMARY_ONLY;

    /** What this mode means for a zone of {@code type}. */
    NotifyMode forType(ZoneType type) {
      return this != PRIMARY_ONLY ? this : type == ZoneType.PRIMARY ? YES : NO;
    }
  }

  /** A NOTIFY target: address and port, and the key to sign with (null: unsigned). */
  public record Target(InetSocketAddress address, TsigKey key) {}
}
