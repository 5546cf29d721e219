package dev.vxdns.verticles.acl;

import dev.vxdns.acl.AddressMatchList;

/**
 * The access lists the ACL stage applies, BIND's options of the same names. In a zone's lists
 * ({@link AclSettings#zones()}) a null list means "the options' list".
 *
 * @param blackhole sources whose queries are dropped unanswered (options only; default none)
 * @param allowQuery who may query (default any)
 * @param allowQueryOn on which destination addresses queries are accepted (default any)
 * @param allowTransfer who may ask for AXFR/IXFR (default none, as BIND 9.20)
 * @param allowUpdate who may send dynamic updates (default none)
 * @param allowNotify who may send NOTIFY (default none)
 * @param allowRecursion who may ask recursive questions about names outside our zones; the answer
 *     is still REFUSED (this server does not recurse) but says "not authoritative" instead of
 *     "prohibited" (options only; default localnets and localhost, as BIND)
 */
public record AccessLists(
    AddressMatchList blackhole,
    AddressMatchList allowQuery,
    AddressMatchList allowQueryOn,
    AddressMatchList allowTransfer,
    AddressMatchList allowUpdate,
    AddressMatchList allowNotify,
    AddressMatchList allowRecursion) {

  /** The list named {@code option} ("allow-query", ...), or null when there is no such option. */
  public AddressMatchList byName(String option) {
    switch (option) {
      case "blackhole":
        return blackhole;
      case "allow-query":
        return allowQuery;
      case "allow-query-on":
        return allowQueryOn;
      case "allow-transfer":
        return allowTransfer;
      case "allow-update":
        return allowUpdate;
      case "allow-notify":
        return allowNotify;
      case "allow-recursion":
        return allowRecursion;
      default:
        return null;
    }
  }

  /** This zone's list where it has one, else ours. */
  public AccessLists overriddenBy(AccessLists zone) {
    return new AccessLists(
        blackhole,
        zone.allowQuery != null ? zone.allowQuery : allowQuery,
        zone.allowQueryOn != null ? zone.allowQueryOn : allowQueryOn,
        zone.allowTransfer != null ? zone.allowTransfer : allowTransfer,
        zone.allowUpdate != null ? zone.allowUpdate : allowUpdate,
        zone.allowNotify != null ? zone.allowNotify : allowNotify,
        allowRecursion);
  }
}
