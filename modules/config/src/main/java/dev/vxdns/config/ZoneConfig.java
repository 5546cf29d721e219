package dev.vxdns.config;

import java.nio.file.Path;

/**
 * A zone of the {@code zone} object: its name, type (primary only for now), master file, and the
 * access lists it overrides ({@code allow-query}, {@code allow-query-on}, {@code allow-transfer},
 * {@code allow-update}, {@code allow-notify}; the others and those it does not set are null).
 */
public record ZoneConfig(String name, String type, Path file, AccessLists access) {}
