package dev.vxdns.secondary;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one transfer, so a broken or hostile primary cannot exhaust memory or hold a transfer
 * open forever. BIND's counterparts are {@code max-records} (unlimited by default), {@code
 * max-transfer-time-in} (120 minutes), {@code max-transfer-idle-in} (60 minutes) and {@code
 * min-transfer-rate-in} (10240 bytes in 5 minutes).
 *
 * @param maxRecords the most records the whole stream may carry (every message's answer section)
 * @param maxBytes the most bytes the whole stream may carry
 * @param maxTransferTime how long one transfer may take in all ({@code max-transfer-time-in})
 * @param maxIdleTime how long a transfer may wait for its connection or its next message ({@code
 *     max-transfer-idle-in})
 * @param minRate the least a transfer must receive in each interval ({@code min-transfer-rate-in})
 */
public record TransferLimits(
    long maxRecords,
    long maxBytes,
    Duration maxTransferTime,
    Duration maxIdleTime,
    MinRate minRate) {
  /** BIND 9.20's {@code max-transfer-time-in}. */
  public static final Duration BIND_MAX_TRANSFER_TIME = Duration.ofMinutes(120);

  /** BIND 9.20's {@code max-transfer-idle-in}. */
  public static final Duration BIND_MAX_IDLE_TIME = Duration.ofMinutes(60);

  /** BIND 9.20's {@code min-transfer-rate-in}: 10240 bytes in 5 minutes. */
  public static final MinRate BIND_MIN_RATE = new MinRate(10_240, Duration.ofMinutes(5));

  /**
   * At least {@code bytes} received in each {@code interval} from the start of the transfer,
   * checked at the end of each interval as named checks it.
   */
  public record MinRate(long bytes, Duration interval) {
    public MinRate {
      Objects.requireNonNull(interval, "interval");
      if (bytes < 1 || !isPositive(interval)) {
        throw new IllegalArgumentException("a minimum rate must be positive");
      }
    }
  }

  public TransferLimits {
    Objects.requireNonNull(maxTransferTime, "maxTransferTime");
    Objects.requireNonNull(maxIdleTime, "maxIdleTime");
    Objects.requireNonNull(minRate, "minRate");
    if (maxRecords < 1
        || maxBytes < 1
        || !isPositive(maxTransferTime)
        || !isPositive(maxIdleTime)) {
      throw new IllegalArgumentException("transfer limits must be positive");
    }
  }

  /** Ten million records, 2 GiB, and BIND's times and rate. */
  public static TransferLimits defaults() {
    return new TransferLimits(
        10_000_000, 2L << 30, BIND_MAX_TRANSFER_TIME, BIND_MAX_IDLE_TIME, BIND_MIN_RATE);
  }

  /** The same sizes and rate with other times. */
  public TransferLimits withTimes(Duration transferTime, Duration idleTime) {
    return new TransferLimits(maxRecords, maxBytes, transferTime, idleTime, minRate);
  }

  /** The same times and rate with other sizes. */
  public TransferLimits withMaxSizes(long records, long bytes) {
    return new TransferLimits(records, bytes, maxTransferTime, maxIdleTime, minRate);
  }

  /** The same with another minimum rate. */
  public TransferLimits withMinRate(MinRate rate) {
    return new TransferLimits(maxRecords, maxBytes, maxTransferTime, maxIdleTime, rate);
  }

  private static boolean isPositive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }
}
