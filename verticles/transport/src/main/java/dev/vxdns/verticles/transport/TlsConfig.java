package dev.vxdns.verticles.transport;

import java.nio.file.Path;
import java.util.Set;

/**
 * A {@code tls} entry, BIND's {@code tls NAME { cert-file ...; key-file ...; protocols { ... };
 * };}: PEM files, and the TLS versions its listeners accept ({@link #protocols}).
 *
 * <p>The name {@value #EPHEMERAL} is reserved, as in BIND: a listener may name it without any
 * top-level entry, and it stands for a self-signed certificate for localhost that the node
 * generates at start when its files are missing ({@link #ephemeral(Path)}). Unlike BIND's, which
 * lives in memory, it is kept in {@value #GENERATED_DIRECTORY} under the config's directory so that
 * test clients can trust it across restarts.
 */
public record TlsConfig(String name, Path certFile, Path keyFile, Set<String> protocols) {
  /** BIND's {@code protocols} default: TLS 1.2 and 1.3, the versions DNS over TLS may use. */
  public static final Set<String> ALL_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  public TlsConfig {
    protocols = Set.copyOf(protocols);
  }

  /** An entry that accepts {@link #ALL_PROTOCOLS}. */
  public TlsConfig(String name, Path certFile, Path keyFile) {
    this(name, certFile, keyFile, ALL_PROTOCOLS);
  }

  /** The reserved name of the generated, self-signed test certificate. */
  public static final String EPHEMERAL = "ephemeral";

  /**
   * Where {@value #EPHEMERAL} lives, relative to the config's directory ({@code
   * options.directory}).
   */
  public static final String GENERATED_DIRECTORY = "tls/generated";

  public static final String EPHEMERAL_CERT_FILE = EPHEMERAL + ".crt";
  public static final String EPHEMERAL_KEY_FILE = EPHEMERAL + ".key";

  /**
   * The {@value #EPHEMERAL} entry: its PEM files in {@code generatedDirectory}, which need not
   * exist yet.
   */
  public static TlsConfig ephemeral(Path generatedDirectory) {
    Path folder = generatedDirectory.toAbsolutePath().normalize();
    return new TlsConfig(
        EPHEMERAL, folder.resolve(EPHEMERAL_CERT_FILE), folder.resolve(EPHEMERAL_KEY_FILE));
  }

  /**
   * True for the reserved {@value #EPHEMERAL} entry, whose files the node generates when missing.
   */
  public boolean isEphemeral() {
    return EPHEMERAL.equals(name);
  }
}
