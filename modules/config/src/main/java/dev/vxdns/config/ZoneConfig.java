package dev.vxdns.config;

import java.nio.file.Path;

/** A zone of the {@code zone} object: its name, type (primary only for now) and master file. */
public record ZoneConfig(String name, String type, Path file) {}
