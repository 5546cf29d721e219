package dev.vxdns.verticles.zone;

import java.nio.file.Path;

/**
 * A zone of the {@code zone} object as the zone engine sees it: its canonical name, type (primary
 * only for now) and master file. The access lists a zone overrides are the ACL stage's.
 */
public record ZoneConfig(String name, String type, Path file) {}
