package dev.vxdns.secondary;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one transfer, so a broken or hostile primary cannot exhaust memory or hold a transfer
 * open forever. BIND's counterparts are {@code max-records} (unlimited by default), {@code
 * max-transfer-time-in} (120 minutes) and {@code max-transfer-idle-in} (60 minutes).
 *
 * @param maxRecords the most records the whole stream may carry (every message's answer section)
 * @param maxBytes the most bytes the whole stream may carry
 * @param maxTransferTime how long one transfer may take in all ({@code max-transfer-time-in})
 * @param maxIdleTime how long a transfer may wait for its connection or its next message ({@code
 *     max-transfer-idle-in})
 */
public record TransferLimits(
    long maxRecords, long maxBytes, Duration maxTransferTime, Duration maxIdleTime) {
  /** BIND 9.20's {@code max-transfer-time-in}. */
  public static final Duration BIND_MAX_TRANSFER_TIME = Duration.ofMinutes(120);

  /** BIND 9.20's {@code max-transfer-idle-in}. */
  public static final Duration BIND_MAX_IDLE_TIME = Duration.ofMinutes(60);

  public TransferLimits {
    Objects.requireNonNull(maxTransferTime, "maxTransferTime");
    Objects.requireNonNull(maxIdleTime, "maxIdleTime");
    if (maxRecords < 1
        || maxBytes < 1
        || !isPositive(maxTransferTime)
        || !isPositive(maxIdleTime)) {
      throw new IllegalArgumentException("transfer limits must be positive");
    }
  }

  /** Ten million records, 2 GiB, and BIND's times: 120 minutes in all, 60 idle. */
  public static TransferLimits defaults() {
    return new TransferLimits(10_000_000, 2L << 30, BIND_MAX_TRANSFER_TIME, BIND_MAX_IDLE_TIME);
  }

  /** The same sizes with other times. */
  public TransferLimits withTimes(Duration transferTime, Duration idleTime) {
    return new TransferLimits(maxRecords, maxBytes, transferTime, idleTime);
  }

  private static boolean isPositive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }
}
