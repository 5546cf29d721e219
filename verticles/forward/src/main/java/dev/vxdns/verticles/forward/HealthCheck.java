package dev.vxdns.verticles.forward;

import org.xbill.DNS.Name;

/**
 * A backend's periodic check: a query for {@code name}/{@code type} every interval; {@code
 * failures} in a row mark it down, {@code successes} in a row mark it up again. Any well-formed
 * answer counts as a success unless {@code mustResolve} (then only NOERROR and NXDOMAIN do).
 */
public record HealthCheck(
    Name name,
    int type,
    int dclass,
    long intervalMillis,
    long timeoutMillis,
    int failures,
    int successes,
    boolean mustResolve) {}
