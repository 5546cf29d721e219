package dev.vxdns.message;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * One long task's progress (a zone load, a journal fold into the zone file, a transfer): how many
 * of its records are done out of how many (unknown: -1), and the rate so far. Written by the task's
 * one thread, read by the log and the control channel; ended through its {@link ProgressBoard}.
 */
public final class Progress {
  private final String kind;
  private final String subject;
  private final long total;
  private final long startNanos = System.nanoTime();
  private volatile long done;

  Progress(String kind, String subject, long total) {
    this.kind = kind;
    this.subject = subject;
    this.total = total;
  }

  /** {@code done} records so far. */
  public void advanceTo(long done) {
    this.done = done;
  }

  public String kind() {
    return kind;
  }

  public String subject() {
    return subject;
  }

  public long done() {
    return done;
  }

  /** The records in all, or -1 when unknown (a master file, an AXFR). */
  public long total() {
    return total;
  }

  public long elapsedMillis() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** Records per second so far. */
  public long rate() {
    long millis = Math.max(1, elapsedMillis());
    return done * 1000 / millis;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("kind", kind)
        .put("subject", subject)
        .put("done", done)
        .put("total", total)
        .put("rate", rate())
        .put("elapsed-ms", elapsedMillis());
  }

  /** "zone-load example.test.: 120000 of 500000 records, 40000/s, 3 s". */
  @Override
  public String toString() {
    return kind
        + " "
        + subject
        + ": "
        + done
        + (total < 0 ? "" : " of " + total)
        + " records, "
        + rate()
        + "/s, "
        + elapsedMillis() / 1000
        + " s";
  }
}
