package dev.vxdns.config;

import java.nio.file.Path;

/** A {@code tls} entry, BIND's {@code tls NAME { cert-file ...; key-file ...; };}: PEM files. */
public record TlsConfig(String name, Path certFile, Path keyFile) {}
