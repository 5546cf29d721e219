package dev.vxdns.verticles.auth;

import java.nio.file.Path;

/**
 * TKEY (RFC 2930) as BIND 9.18's {@code tkey-domain} and {@code tkey-dhkey}: negotiated keys are
 * named under {@code domain}; the server's Diffie-Hellman key is read from a BIND private-key file
 * ({@code dnssec-keygen -a DH}), or generated at start when no file is given.
 *
 * @param domain the {@code tkey-domain}, canonical with its trailing dot
 * @param dhKeyName the server DH key's name ({@code tkey-dhkey.name})
 * @param dhKeyFile the key's {@code .private} file, or null to generate one
 * @param maxLifetimeSeconds the longest lifetime a negotiated key gets ({@code tkey-max-lifetime})
 * @param maxKeys negotiated keys alive at once, in total ({@code tkey-max-keys})
 * @param maxKeysPerClient negotiated keys alive at once per creator, the key or SIG(0) signer that
 *     signed the TKEY query ({@code tkey-max-keys-per-client})
 */
public record TkeyOptions(
    String domain,
    String dhKeyName,
    Path dhKeyFile,
    int maxLifetimeSeconds,
    int maxKeys,
    int maxKeysPerClient) {}
