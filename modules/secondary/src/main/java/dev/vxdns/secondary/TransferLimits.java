package dev.vxdns.secondary;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one transfer, so a broken or hostile primary cannot exhaust memory or hold a transfer
 * open forever. BIND's counterparts are {@code max-records} (unlimited by default), {@code
 * max-transfer-time-in} (120 minutes) and {@code max-transfer-idle-in} (60 minutes; here the
 * client's timeout is the idle bound).
 *
 * @param maxRecords the most records the whole stream may carry (every message's answer section)
 * @param maxBytes the most bytes the whole stream may carry
 * @param maxTransferTime how long one transfer may take in all
 */
public record TransferLimits(long maxRecords, long maxBytes, Duration maxTransferTime) {
  public TransferLimits {
    Objects.requireNonNull(maxTransferTime, "maxTransferTime");
    if (maxRecords < 1
        || maxBytes < 1
        || maxTransferTime.isNegative()
        || maxTransferTime.isZero()) {
      throw new IllegalArgumentException("transfer limits must be positive");
    }
  }

  /** Ten million records, 2 GiB, 120 minutes. */
  public static TransferLimits defaults() {
    return new TransferLimits(10_000_000, 2L << 30, Duration.ofMinutes(120));
  }
}
