package dev.vxdns.journal;

import dev.vxdns.zone.ZoneDiff;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The program {@link JournalCrashTest} kills: it opens the journal (recovering it), then appends
 * {@link Chain} diffs as fast as it can, writing each serial to stdout only after {@code append}
 * returned. Arguments: the journal file and maxBytes.
 */
public final class JournalCrashWriter {

  private JournalCrashWriter() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    long maxBytes = Long.parseLong(args[1]);
    // Unbuffered: one write per acknowledgement, so a kill never loses a printed line.
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    try (ZoneJournal journal = ZoneJournal.open(file, Chain.ORIGIN, maxBytes)) {
      List<ZoneDiff> diffs = journal.read();
      long serial = diffs.isEmpty() ? 1 : diffs.get(diffs.size() - 1).toSerial();
      out.write(("ready " + serial + "\n").getBytes(StandardCharsets.US_ASCII));
      while (true) {
        ZoneDiff diff = Chain.diff(serial);
        journal.append(diff);
        serial = diff.toSerial();
        out.write((serial + "\n").getBytes(StandardCharsets.US_ASCII));
      }
    }
  }
}
