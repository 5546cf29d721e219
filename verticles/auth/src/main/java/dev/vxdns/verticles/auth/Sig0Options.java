package dev.vxdns.verticles.auth;

/**
 * Bounds on SIG(0) verification (RFC 2931), the public-key work BIND removed after CVE-2024-1975.
 * {@code workers 0} turns SIG(0) verification off (signed queries are then treated as unsigned).
 *
 * @param workers threads verifying signatures ({@code sig0-workers}, default 1)
 * @param perSourcePerSecond verifications per source address per second ({@code sig0-rate-limit},
 *     default 10)
 * @param maxPending verifications waiting for a worker ({@code sig0-max-pending}, default 64)
 */
public record Sig0Options(int workers, int perSourcePerSecond, int maxPending) {}
