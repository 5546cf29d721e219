package dev.vxdns.config;

import dev.vxdns.acl.AddressMatchList;

/**
 * The access lists the ACL stage applies, BIND's options of the same names; a zone may override
 * {@code allow-query} and {@code allow-query-on} (a null field there means "inherit").
 *
 * @param blackhole sources whose queries are dropped unanswered (default none; options only)
 * @param allowQuery who may query (default any)
 * @param allowQueryOn on which destination addresses queries are accepted (default any)
 */
public record AccessLists(AddressMatchList blackhole, AddressMatchList allowQuery, AddressMatchList allowQueryOn) {}
