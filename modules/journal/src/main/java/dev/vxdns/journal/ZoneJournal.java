package dev.vxdns.journal;

import dev.vxdns.zone.Serials;
import dev.vxdns.zone.ZoneDiff;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import org.xbill.DNS.Name;

/**
 * The append-only journal of one zone's changes, in the binary format the module README describes.
 *
 * <p>Every method blocks on file I/O (run it on a worker thread), and one thread at a time may use
 * a journal. An append is forced to disk before it returns, so a crash, even {@code kill -9} or a
 * power loss, cannot lose an acknowledged diff; a crash in the middle of an append leaves a torn
 * last record, which the next {@link #open} discards.
 */
public final class ZoneJournal implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(ZoneJournal.class.getName());

  /** Where one diff sits in the file, and the serials it spans. */
  private record Entry(long offset, int length, long fromSerial, long toSerial) {}

  private final Path path;
  private final Name origin;
  private final long maxBytes;
  private final byte[] header;
  private final List<Entry> entries = new ArrayList<>();
  private FileChannel channel;
  private long end;

  /** The serial the next diff must start at; kept when every diff has been dropped. */
  private Long lastSerial;

  private long discardedBytes;
  private String unusable;

  private ZoneJournal(Path path, Name origin, long maxBytes, FileChannel channel) {
    this.path = path;
    this.origin = origin;
    this.maxBytes = maxBytes;
    this.header = JournalFormat.header(origin);
    this.channel = channel;
  }

  /**
   * Opens or creates the journal at path for zone origin. A torn or corrupt last record (a crash in
   * the middle of an append) is detected by its length and CRC32C, discarded, and the file
   * truncated to the last whole record ({@link #discardedBytes} says how much went). Damage before
   * the last record throws, naming the file and the offset.
   *
   * @param maxBytes the size the file may reach before the oldest diffs are dropped; {@link
   *     Long#MAX_VALUE} for no limit
   * @throws JournalException when the file cannot be read or created, belongs to another zone, is
   *     not a journal, or is damaged before its last record
   */
  public static ZoneJournal open(Path path, Name origin, long maxBytes) throws JournalException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(origin, "origin");
    if (!origin.isAbsolute()) {
      throw new IllegalArgumentException("origin " + origin + " is not an absolute name");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
    }
    FileChannel channel = null;
    try {
      if (!Files.exists(path) || Files.size(path) == 0) {
        create(path, origin);
      }
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
      ZoneJournal journal = new ZoneJournal(path, origin, maxBytes, channel);
      journal.recover();
      if (journal.discardedBytes > 0) {
        LOG.log(
            System.Logger.Level.WARNING,
            "journal {0}: discarded a torn or damaged last record ({1} bytes at offset {2}), as a"
                + " crash while appending leaves",
            path,
            String.valueOf(journal.discardedBytes),
            String.valueOf(journal.end));
      }
      // A crash between an append and its trim, or a lower limit than last time.
      journal.trimOrWarn();
      return journal;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new JournalException("journal " + path + ": " + e, e);
    } catch (JournalException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Every diff in the journal, oldest first. */
  public List<ZoneDiff> read() throws JournalException {
    checkUsable();
    List<ZoneDiff> diffs = new ArrayList<>(entries.size());
    try {
      for (Entry entry : entries) {
        byte[] payload = read(entry.offset() + JournalFormat.FRAME, payloadLength(entry));
        diffs.add(decode(entry.offset(), payload));
      }
    } catch (IOException e) {
      throw new JournalException("journal " + path + ": cannot read: " + e, e);
    }
    return diffs;
  }

  /**
   * Appends one diff and forces it to disk before returning: after this returns, a crash cannot
   * lose it. When the file then exceeds maxBytes, the oldest diffs are dropped (never the newest).
   *
   * @throws JournalException when the diff does not start where the last one ended or does not move
   *     the serial forward (RFC 1982), its SOAs are not at the zone's origin, or the write fails
   */
  public void append(ZoneDiff diff) throws JournalException {
    appendAll(List.of(diff));
  }

  /**
   * Appends diffs that follow each other and forces them to disk once before returning, so a writer
   * that has several updates waiting pays for one sync; after this returns a crash cannot lose any
   * of them. A crash during the call may keep a prefix of them, never a part of one.
   *
   * @throws JournalException as {@link #append}; then none of them was appended
   */
  public void appendAll(List<ZoneDiff> diffs) throws JournalException {
    checkUsable();
    Long previous = lastSerial;
    List<ByteBuffer> records = new ArrayList<>(diffs.size());
    for (ZoneDiff diff : diffs) {
      Objects.requireNonNull(diff, "diff");
      if (!diff.from().getName().equals(origin) || !diff.to().getName().equals(origin)) {
        throw new JournalException(
            "journal " + path + ": a diff's SOA records must be at the zone origin " + origin);
      }
      if (previous != null && diff.fromSerial() != previous) {
        throw new JournalException(
            "journal "
                + path
                + ": a diff from serial "
                + diff.fromSerial()
                + " cannot follow the last diff, which ends at serial "
                + previous);
      }
      if (Serials.atLeast(diff.fromSerial(), diff.toSerial())) {
        // Replay skips the diffs ending at or before the zone file's serial: a serial that went
        // back and came again would make it skip changes the file does not have.
        throw new JournalException(
            "journal "
                + path
                + ": a diff must move the serial forward, not from "
                + diff.fromSerial()
                + " to "
                + diff.toSerial());
      }
      previous = diff.toSerial();
      records.add(JournalFormat.frame(diff));
    }
    long at = end;
    try {
      for (ByteBuffer record : records) {
        // One write per record; the loop only matters if the OS writes less.
        while (record.hasRemaining()) {
          at += channel.write(record, at);
        }
      }
      channel.force(false);
    } catch (IOException e) {
      undoPartialAppend();
      throw new JournalException("journal " + path + ": cannot append: " + e, e);
    }
    for (int i = 0; i < diffs.size(); i++) {
      int length = records.get(i).limit();
      entries.add(new Entry(end, length, diffs.get(i).fromSerial(), diffs.get(i).toSerial()));
      end += length;
    }
    if (!diffs.isEmpty()) {
      lastSerial = diffs.get(diffs.size() - 1).toSerial();
    }
    trimOrWarn();
  }

  /**
   * Trims, but only warns when that fails: the diffs are durable either way, so a caller must not
   * be told that its append failed. The next append tries again.
   */
  private void trimOrWarn() {
    try {
      trimToLimit();
    } catch (JournalException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "journal {0} is larger than {1} bytes and could not be trimmed: {2}",
          path,
          String.valueOf(maxBytes),
          e.getMessage());
    }
  }

  /** Drops the oldest diffs while the file is larger than maxBytes, keeping the newest. */
  private void trimToLimit() throws JournalException {
    if (end <= maxBytes || entries.size() < 2) {
      return;
    }
    long size = end;
    int first = 0;
    while (size > maxBytes && first < entries.size() - 1) {
      size -= entries.get(first).length();
      first++;
    }
    rewriteFrom(first);
  }

  /**
   * The serial the last diff appended or read ends at, which the next append must start from; empty
   * for a journal that never held a diff since it was opened empty.
   */
  public OptionalLong lastSerial() {
    return lastSerial == null ? OptionalLong.empty() : OptionalLong.of(lastSerial);
  }

  /** The size of the file in bytes: the header and every whole record. */
  public long sizeBytes() {
    return end;
  }

  /** How many bytes of a torn or corrupt last record {@link #open} discarded; 0 if none. */
  public long discardedBytes() {
    return discardedBytes;
  }

  /** The path of the journal file. */
  public Path path() {
    return path;
  }

  /**
   * Drops every diff ending at or before serial (RFC 1982 comparison), as after the zone file has
   * been rewritten and the history is not wanted. The file is rewritten atomically. The next append
   * must still continue from the last diff appended.
   */
  public void dropThrough(long serial) throws JournalException {
    checkUsable();
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (Serials.atLeast(serial, entries.get(i).toSerial())) {
        rewriteFrom(i + 1);
        return;
      }
    }
  }

  /**
   * Drops every diff and lets the next append start at any serial, as when the zone file was
   * replaced by a version the journal does not lead to (a snapshot from the cluster). The file is
   * rewritten atomically: a crash leaves the old journal or the empty one.
   */
  public void restart() throws JournalException {
    checkUsable();
    rewriteFrom(entries.size());
    lastSerial = null;
  }

  @Override
  public void close() {
    closeQuietly(channel);
    if (unusable == null) {
      unusable = "it is closed";
    }
  }

  private static void create(Path path, Name origin) throws IOException {
    Path temporary = AtomicFiles.temporaryFor(path);
    try (FileChannel out =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.wrap(JournalFormat.header(origin)), 0);
      out.force(true);
    }
    AtomicFiles.replace(temporary, path);
  }

  /** Reads the header and every record, discarding a torn or corrupt last one. */
  private void recover() throws IOException, JournalException {
    long size = channel.size();
    int fixed = JournalFormat.headerFixedLength();
    try {
      if (size < fixed) {
        throw new JournalFormat.FormatException(
            "only " + size + " bytes, too short for a journal header");
      }
      int headerLength = JournalFormat.headerLength(read(0, fixed));
      if (size < headerLength) {
        throw new JournalFormat.FormatException("header cut short at offset " + size);
      }
      Name fileOrigin = JournalFormat.origin(read(0, headerLength));
      if (!fileOrigin.equals(origin)) {
        throw new JournalFormat.FormatException(
            "it is the journal of zone " + fileOrigin + ", not of " + origin);
      }
      end = headerLength;
    } catch (JournalFormat.FormatException e) {
      throw new JournalException("journal " + path + ": " + e.getMessage(), e);
    }
    while (end < size) {
      Entry entry = readEntry(end, size);
      if (entry == null) {
        discardedBytes = size - end;
        channel.truncate(end);
        channel.force(true);
        break;
      }
      if (lastSerial != null && entry.fromSerial() != lastSerial) {
        throw new JournalException(
            "journal "
                + path
                + ": the diff at offset "
                + end
                + " starts at serial "
                + entry.fromSerial()
                + " but the one before ends at serial "
                + lastSerial);
      }
      entries.add(entry);
      end += entry.length();
      lastSerial = entry.toSerial();
    }
  }

  /**
   * The record at offset, or null when it is damaged but is the file's last record (so a crash
   * while appending it explains the damage).
   */
  private Entry readEntry(long offset, long size) throws IOException, JournalException {
    long remaining = size - offset;
    String problem;
    if (remaining < JournalFormat.FRAME) {
      problem = "a record frame cut short";
    } else {
      byte[] frame = read(offset, JournalFormat.FRAME);
      long length = JournalFormat.u32(frame, 0);
      if (length > remaining - JournalFormat.FRAME) {
        problem = "a record of " + length + " bytes runs past the end of the file";
      } else {
        byte[] payload = read(offset + JournalFormat.FRAME, (int) length);
        if (length > 0 && JournalFormat.crc(payload, 0, payload.length) == u32(frame, 4)) {
          ZoneDiff diff = decode(offset, payload);
          return new Entry(
              offset, JournalFormat.FRAME + payload.length, diff.fromSerial(), diff.toSerial());
        }
        problem = "checksum mismatch";
      }
    }
    if (isLastRecord(offset, size)) {
      return null;
    }
    throw new JournalException(
        "journal "
            + path
            + ": damaged record at offset "
            + offset
            + " ("
            + problem
            + ") with more data after it; the file needs repair");
  }

  /**
   * Whether the damaged record at offset is the last one: it runs to or past the end of the file,
   * or the rest of the file is zeros (a file system that extended the file before the data
   * arrived). A payload that is intact under a damaged length field gives its true end.
   */
  private boolean isLastRecord(long offset, long size) throws IOException {
    if (size - offset > Integer.MAX_VALUE - 64) {
      return false;
    }
    byte[] rest = read(offset, (int) (size - offset));
    if (rest.length < JournalFormat.FRAME) {
      return true;
    }
    boolean zeros = true;
    for (byte b : rest) {
      if (b != 0) {
        zeros = false;
        break;
      }
    }
    if (zeros) {
      return true;
    }
    try {
      JournalFormat.Decoded decoded = JournalFormat.decode(rest, JournalFormat.FRAME, rest.length);
      if (JournalFormat.crc(rest, JournalFormat.FRAME, decoded.length())
          == JournalFormat.u32(rest, 4)) {
        return JournalFormat.FRAME + decoded.length() == rest.length;
      }
    } catch (JournalFormat.FormatException e) {
      // Not an intact payload: the length field decides.
    }
    return JournalFormat.u32(rest, 0) >= rest.length - JournalFormat.FRAME;
  }

  private ZoneDiff decode(long offset, byte[] payload) throws JournalException {
    try {
      JournalFormat.Decoded decoded = JournalFormat.decode(payload, 0, payload.length);
      if (decoded.length() != payload.length) {
        throw new JournalFormat.FormatException(
            (payload.length - decoded.length()) + " bytes left over after the diff");
      }
      return decoded.diff();
    } catch (JournalFormat.FormatException e) {
      throw new JournalException(
          "journal "
              + path
              + ": the record at offset "
              + offset
              + " has a valid checksum but does not decode: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Keeps the diffs from index first on: a new file with the header and those records is forced and
   * renamed over this one, so a crash leaves either the old or the new journal.
   */
  private void rewriteFrom(int first) throws JournalException {
    long from = first < entries.size() ? entries.get(first).offset() : end;
    Path temporary = AtomicFiles.temporaryFor(path);
    try (FileChannel out =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.wrap(header), 0);
      out.position(header.length);
      long copied = 0;
      while (copied < end - from) {
        copied += channel.transferTo(from + copied, end - from - copied, out);
      }
      out.force(true);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException ignored) {
        // The next rewrite truncates it anyway.
      }
      throw new JournalException("journal " + path + ": cannot rewrite: " + e, e);
    }
    try {
      AtomicFiles.replace(temporary, path);
      closeQuietly(channel);
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      unusable = "replacing the file failed: " + e;
      throw new JournalException("journal " + path + ": cannot replace the file: " + e, e);
    }
    long shift = from - header.length;
    List<Entry> kept = new ArrayList<>(entries.subList(first, entries.size()));
    entries.clear();
    for (Entry entry : kept) {
      entries.add(
          new Entry(entry.offset() - shift, entry.length(), entry.fromSerial(), entry.toSerial()));
    }
    end -= shift;
  }

  /** A failed write may have left part of a record: cut it off so later appends stay readable. */
  private void undoPartialAppend() {
    try {
      channel.truncate(end);
      channel.force(true);
    } catch (IOException e) {
      unusable = "a failed append could not be undone: " + e;
    }
  }

  private void checkUsable() throws JournalException {
    if (unusable != null) {
      throw new JournalException("journal " + path + " cannot be used: " + unusable);
    }
  }

  private static int payloadLength(Entry entry) {
    return entry.length() - JournalFormat.FRAME;
  }

  private byte[] read(long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, offset + buffer.position()) < 0) {
        throw new EOFException("end of file at offset " + (offset + buffer.position()));
      }
    }
    return buffer.array();
  }

  private static long u32(byte[] bytes, int at) {
    return JournalFormat.u32(bytes, at);
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += out.write(buffer, at);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing is pending: every write was forced when it was made.
    }
  }
}
