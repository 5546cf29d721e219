package dev.vxdns.journal;

import static dev.vxdns.journal.Chain.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vxdns.zone.ZoneDiff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability against {@code kill -9}: a separate JVM appends diffs and prints each serial after
 * {@code append} returned; the test kills it with SIGKILL at random moments, reopens the journal
 * and checks that every acknowledged serial is there, the chain is contiguous and each diff is
 * exactly the one written; the next round's writer continues from the recovered journal.
 */
class JournalCrashTest {

  private static final int ROUNDS = 20;

  @TempDir Path folder;

  @Test
  void acknowledgedAppendsSurviveKill9() throws Exception {
    Path file = folder.resolve("example.test.vxjnl");
    Random random = new Random(20261203);
    long acknowledged = 1;
    for (int round = 0; round < ROUNDS; round++) {
      List<Long> acks = runAndKill(file, Long.MAX_VALUE, random);
      for (long ack : acks) {
        assertTrue(ack > acknowledged || acks.size() == 0, "serials only grow: " + acks);
        acknowledged = Math.max(acknowledged, ack);
      }
      try (ZoneJournal journal = ZoneJournal.open(file, Chain.ORIGIN, Long.MAX_VALUE)) {
        List<ZoneDiff> diffs = journal.read();
        assertEquals(Files.size(file), journal.sizeBytes(), "round " + round);
        // Contiguous from serial 1, and each diff exactly as written: nothing half-written.
        for (int i = 0; i < diffs.size(); i++) {
          assertEquals(describe(Chain.diff(i + 1)), describe(diffs.get(i)), "round " + round);
        }
        long last = diffs.isEmpty() ? 1 : diffs.get(diffs.size() - 1).toSerial();
        // Every acknowledged serial is there; at most one more append finished unacknowledged.
        assertTrue(
            last >= acknowledged && last <= acknowledged + 1,
            "round " + round + ": journal ends at " + last + ", acknowledged " + acknowledged);
        acknowledged = last;
      }
    }
    assertTrue(acknowledged > ROUNDS, "the writer made progress: " + acknowledged);
  }

  @Test
  void trimmingUnderKill9KeepsTheNewestAcknowledgedDiffs() throws Exception {
    Path file = folder.resolve("trimmed.vxjnl");
    long maxBytes = 6000; // a few diffs: nearly every append rewrites the file
    Random random = new Random(42);
    long acknowledged = 1;
    for (int round = 0; round < 10; round++) {
      for (long ack : runAndKill(file, maxBytes, random)) {
        acknowledged = Math.max(acknowledged, ack);
      }
      try (ZoneJournal journal = ZoneJournal.open(file, Chain.ORIGIN, maxBytes)) {
        List<ZoneDiff> diffs = journal.read();
        assertTrue(diffs.size() == 1 || journal.sizeBytes() <= maxBytes, "round " + round);
        long first = diffs.get(0).fromSerial();
        for (int i = 0; i < diffs.size(); i++) {
          assertEquals(describe(Chain.diff(first + i)), describe(diffs.get(i)), "round " + round);
        }
        long last = diffs.get(diffs.size() - 1).toSerial();
        assertTrue(
            last >= acknowledged && last <= acknowledged + 1,
            "round " + round + ": journal ends at " + last + ", acknowledged " + acknowledged);
        acknowledged = last;
      }
    }
  }

  /**
   * Starts the writer, waits for a random number of acknowledgements, lets it run a random few
   * hundred microseconds more, kills it with SIGKILL and returns the serials it acknowledged (whole
   * lines only).
   */
  private static List<Long> runAndKill(Path file, long maxBytes, Random random) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java.toString(),
            "-Xmx64m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            JournalCrashWriter.class.getName(),
            file.toString(),
            Long.toString(maxBytes));
    builder.redirectError(
        ProcessBuilder.Redirect.appendTo(file.resolveSibling("writer.err").toFile()));
    Process process = builder.start();
    try {
      int wanted = 1 + random.nextInt(30);
      InputStream in = process.getInputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines(seen) < wanted + 1) { // + the "ready" line
        int b = in.read();
        if (b < 0) {
          fail("the writer ended early: " + seen + " " + errors(file));
        }
        seen.write(b);
        if (System.nanoTime() > deadline) {
          fail("the writer is too slow: " + seen);
        }
      }
      long pause = random.nextInt(800);
      if (pause > 0) {
        TimeUnit.MICROSECONDS.sleep(pause);
      }
      // SIGKILL through the handle: Process.destroyForcibly would also close our end of stdout.
      process.toHandle().destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the writer did not die");
      seen.write(in.readAllBytes());
      return acknowledged(seen.toString(StandardCharsets.US_ASCII));
    } finally {
      process.destroyForcibly();
    }
  }

  private static int lines(ByteArrayOutputStream seen) {
    int lines = 0;
    for (byte b : seen.toByteArray()) {
      if (b == '\n') {
        lines++;
      }
    }
    return lines;
  }

  /** The serials on whole lines; a line the kill cut short was never acknowledged. */
  private static List<Long> acknowledged(String output) {
    List<Long> serials = new ArrayList<>();
    int end = output.lastIndexOf('\n');
    for (String line : output.substring(0, end + 1).split("\n")) {
      if (!line.isEmpty() && !line.startsWith("ready")) {
        serials.add(Long.parseLong(line));
      }
    }
    return serials;
  }

  private static String errors(Path file) throws IOException {
    Path err = file.resolveSibling("writer.err");
    return Files.exists(err) ? Files.readString(err) : "";
  }
}
