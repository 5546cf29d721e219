package dev.vxdns.verticles.rrl;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.Json;
import java.util.List;
import java.util.Set;

/**
 * BIND 9.20's {@code rate-limit} in {@code options}, as a JSON object. Absent: no rate limiting
 * ({@link #enabled()} false, and the stage is not in the pipeline).
 *
 * @param responsesPerSecond answers with data, per account (client prefix, qname, qtype); 0 = no
 *     limit
 * @param referralsPerSecond referrals per account (prefix, delegation); default the responses rate
 * @param nodataPerSecond empty answers per account (prefix, qname); default the responses rate
 * @param nxdomainsPerSecond NXDOMAIN per account (prefix, zone); default the responses rate
 * @param errorsPerSecond REFUSED, FORMERR, SERVFAIL, ... per prefix; default the responses rate
 * @param allPerSecond every response to a prefix together; 0 = no such limit
 * @param window seconds of debt an account can build up (and so how long a flood stays limited
 *     after it stops); an account idle longer starts afresh
 * @param slip every slip-th limited response is sent truncated (TC=1, no records) instead of
 *     dropped; 0 never, 1 always
 * @param exemptClients never limited (matched on the effective source)
 * @param logOnly count (and log at debug level) what would be limited, limit nothing
 * @param maxTableSize accounts kept at most; beyond it idle ones expire first, then some are
 *     evicted
 */
public record RrlSettings(
    boolean enabled,
    int responsesPerSecond,
    int referralsPerSecond,
    int nodataPerSecond,
    int nxdomainsPerSecond,
    int errorsPerSecond,
    int allPerSecond,
    int window,
    int slip,
    int ipv4PrefixLength,
    int ipv6PrefixLength,
    AddressMatchList exemptClients,
    boolean logOnly,
    int maxTableSize) {

  /** BIND's largest rate (DNS_RRL_MAX_RATE). */
  static final int MAX_RATE = 1000;

  static final String KEY = "rate-limit";

  private static final Set<String> KEYS =
      Set.of(
          "responses-per-second",
          "referrals-per-second",
          "nodata-per-second",
          "nxdomains-per-second",
          "errors-per-second",
          "all-per-second",
          "window",
          "slip",
          "ipv4-prefix-length",
          "ipv6-prefix-length",
          "exempt-clients",
          "log-only",
          "max-table-size");

  /** No rate limiting. */
  public static final RrlSettings OFF =
      new RrlSettings(
          false, 0, 0, 0, 0, 0, 0, 15, 2, 24, 56, AddressMatchList.none(), false, 20_000);

  public static final ConfigPart<RrlSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options(KEY);
        }

        @Override
        public RrlSettings parse(ConfigSource source) throws ConfigException {
          if (!source.options().has(KEY)) {
            return OFF;
          }
          Json limit = source.options().object(KEY);
          limit.allowOnly(KEYS);
          int responses = limit.integer("responses-per-second", 0, 0, MAX_RATE);
          return new RrlSettings(
              true,
              responses,
              limit.integer("referrals-per-second", responses, 0, MAX_RATE),
              limit.integer("nodata-per-second", responses, 0, MAX_RATE),
              limit.integer("nxdomains-per-second", responses, 0, MAX_RATE),
              limit.integer("errors-per-second", responses, 0, MAX_RATE),
              limit.integer("all-per-second", 0, 0, MAX_RATE),
              limit.integer("window", 15, 1, 3600),
              limit.integer("slip", 2, 0, 10),
              limit.integer("ipv4-prefix-length", 24, 0, 32),
              limit.integer("ipv6-prefix-length", 56, 0, 128),
              source.acls().compile(limit, "exempt-clients", List.of("none")),
              limit.bool("log-only", false),
              limit.integer("max-table-size", 20_000, 1, 1_000_000));
        }
      };

  /** The configured rate of one kind of response; 0 = not limited. */
  int rate(ResponseKind kind) {
    return switch (kind) {
      case ANSWER -> responsesPerSecond;
      case REFERRAL -> referralsPerSecond;
      case NODATA -> nodataPerSecond;
      case NXDOMAIN -> nxdomainsPerSecond;
      case ERROR -> errorsPerSecond;
      case ALL -> allPerSecond;
    };
  }
}
