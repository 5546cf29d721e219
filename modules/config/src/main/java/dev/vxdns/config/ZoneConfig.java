package dev.vxdns.config;

import dev.vxdns.acl.AddressMatchList;
import java.nio.file.Path;

/**
 * A zone of the {@code zone} object: its name, type (primary only for now), master file, and the
 * access lists it overrides ({@code allow-query}, {@code allow-query-on}; null when inherited).
 */
public record ZoneConfig(String name, String type, Path file, AddressMatchList allowQuery, AddressMatchList allowQueryOn) {}
