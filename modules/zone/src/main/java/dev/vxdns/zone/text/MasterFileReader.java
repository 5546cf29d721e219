package dev.vxdns.zone.text;

import dev.vxdns.zone.text.MasterLexer.Entry;
import dev.vxdns.zone.text.MasterLexer.Token;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;

/**
 * Reads a master file (RFC 1035 with BIND 9.20's extensions: {@code $ORIGIN}, {@code $TTL}, {@code
 * $INCLUDE}, {@code $GENERATE}; owner, TTL and class omitted as BIND allows) in one pass, handing
 * each record to a sink as wire RDATA. A record with an error is reported and skipped, as
 * named-checkzone does, so that one run lists them all; the reader then throws them together.
 */
public final class MasterFileReader {

  /**
   * Where records go, in file order. The owner is its wire form, spelled as the file does (a zone
   * load keeps names as octets; {@link #name} makes a dnsjava one). The line is counted from the
   * start of the segment when the file is read in segments ({@link #readInSegments}).
   */
  @FunctionalInterface
  public interface RecordSink {
    void record(byte[] owner, int type, int dclass, long ttl, byte[] rdata, String file, int line)
        throws MasterFileException;
  }

  /** All the errors of a file (at most {@link #MAX_ERRORS}), each {@code file:line: problem}. */
  public static final class Errors extends Exception {
    private final List<MasterFileException> errors;

    Errors(List<MasterFileException> errors) {
      super(
          errors.get(0).getMessage()
              + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more errors)" : ""));
      this.errors = List.copyOf(errors);
    }

    public List<MasterFileException> errors() {
      return errors;
    }
  }

  /** The dnsjava name of a sink's owner, for a sink that wants one. */
  public static Name name(byte[] owner) {
    return NameText.toName(owner);
  }

  static final int MAX_ERRORS = 100;
  private static final int TYPE_SOA = 6;
  private static final int TYPE_DS = 43;
  private static final int TYPE_NS = 2;
  private static final int TYPE_NSEC3 = 50;

  private final byte[] top;
  // The owner last checked against the zone (a blank owner reuses its array), and whether it is
  // outside: its records are read, then left out, as BIND leaves them out with one warning.
  private byte[] checkedOwner;
  private boolean ownerOutside;
  private final int zoneClass;
  private final RecordSink sink;
  private final LongConsumer progress;
  private long records;
  private final List<MasterFileException> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  // One record's RDATA at a time, copied out when complete: a buffer per record was a tenth of
  // what a load allocates.
  private final DNSOutput out = new DNSOutput(512);

  // TTL state is shared by included files, as in BIND
  private long ttl;
  private boolean ttlKnown;
  private long defaultTtl;
  private boolean defaultTtlKnown;
  // A segment after the first: whether a record took the TTL the segment started with (the last
  // one before it), which then has to be the one the previous segment ended with.
  private boolean ttlSet;
  private boolean inheritedTtlRead;
  // The first segment: where to publish the state the other segments start from.
  private CompletableFuture<State> head;

  private MasterFileReader(byte[] top, int zoneClass, RecordSink sink, LongConsumer progress) {
    this.top = top;
    this.zoneClass = zoneClass;
    this.sink = sink;
    this.progress = progress;
  }

  /**
   * What the next entry of a file inherits from the entries before it: the origin of relative
   * names, the last TTL and the $TTL default. (The owner of an entry that omits it is not part of
   * it: a segment starts at an entry that names its owner.)
   */
  private record State(
      byte[] origin, long ttl, boolean ttlKnown, long defaultTtl, boolean defaultTtlKnown) {

    /**
     * Whether a segment that started from this state, and read the inherited TTL or not ({@code
     * ttlRead}), read what it would have read starting from {@code actual}.
     */
    boolean serves(State actual, boolean ttlRead) {
      return Arrays.equals(origin, actual.origin)
          && defaultTtlKnown == actual.defaultTtlKnown
          && defaultTtl == actual.defaultTtl
          && ttlKnown == actual.ttlKnown
          && (!ttlRead || ttl == actual.ttl);
    }
  }

  private State state(byte[] origin) {
    return new State(origin, ttl, ttlKnown, defaultTtl, defaultTtlKnown);
  }

  /**
   * Reads {@code file} for the zone {@code origin} of class {@code zoneClass}.
   *
   * @return the warnings (e.g. BIND's "no TTL specified; using SOA MINTTL instead")
   * @throws Errors the errors found, after reading the whole file
   * @throws IOException when the file (not an included one) cannot be read
   */
  public static List<String> read(Path file, Name origin, int zoneClass, RecordSink sink)
      throws IOException, Errors {
    return read(file, origin, zoneClass, sink, records -> {});
  }

  /** How often (in records) a read reports its progress. */
  public static final int PROGRESS_STEP = 4096;

  /**
   * Like {@link #read(Path, Name, int, RecordSink)}, telling {@code progress} the records read so
   * far every {@link #PROGRESS_STEP} records, and at the end.
   */
  public static List<String> read(
      Path file, Name origin, int zoneClass, RecordSink sink, LongConsumer progress)
      throws IOException, Errors {
    byte[] top = origin.toWire();
    MasterFileReader reader = new MasterFileReader(top, zoneClass, sink, progress);
    try (InputStream in = open(file)) {
      reader.readFile(new MasterLexer(in, file.toString()), file, top);
    }
    progress.accept(reader.records);
    if (!reader.errors.isEmpty()) {
      throw new Errors(reader.errors);
    }
    return List.copyOf(reader.warnings);
  }

  private static InputStream open(Path file) throws IOException {
    return Files.newInputStream(file);
  }

  /** A file of at least this many octets per segment is worth reading in segments. */
  public static final long MIN_SEGMENT = 4L << 20;

  /**
   * The segments worth reading {@code file} in on this machine: each at least {@link #MIN_SEGMENT}
   * octets, one per core but one. That core is left to the event loops, which go on answering while
   * a zone reloads, and at start to the compiler: on two cores, a 1M-record zone read in two
   * segments started no sooner (the compiler had the second core), where a reload in a warm JVM
   * took 0.19 s instead of 0.29 s.
   */
  public static int segmentsFor(Path file) throws IOException {
    long bySize = Files.size(file) / MIN_SEGMENT;
    int cores = Runtime.getRuntime().availableProcessors();
    return (int) Math.max(1, Math.min(cores - 1, bySize));
  }

  /** How many records the first segment reads before the others start from its state. */
  static final int HEAD_RECORDS = 64;

  /**
   * Reads {@code file} in up to {@code segments} parts side by side, each into its own sink from
   * {@code sinks}, on a thread of its own (the first on the calling thread). Each part starts at a
   * line that names an owner; the parts after the first start from the state the first has after
   * its first {@link #HEAD_RECORDS} records (the origin and TTLs most files set once, at the top).
   * A part is kept only if the part before it ended where it began (not inside parentheses or a
   * quoted string, which is an error of that part) and in the state it assumed.
   *
   * @return the sinks in file order; or null when the file has to be read in one pass ({@link
   *     #read}): a part did not start as assumed (a file that changes its $ORIGIN or $TTL further
   *     down, say), or there were errors or warnings, whose lines only one pass numbers
   * @throws IOException when the file cannot be read
   */
  public static <S extends RecordSink> List<S> readInSegments(
      Path file, Name origin, int zoneClass, int segments, Supplier<S> sinks, LongConsumer progress)
      throws IOException {
    long[] starts = segmentStarts(file, segments);
    int count = starts.length - 1;
    byte[] top = origin.toWire();
    SharedProgress shared = new SharedProgress(progress);
    List<S> parts = new ArrayList<>(count);
    List<MasterFileReader> readers = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      S sink = sinks.get();
      parts.add(sink);
      readers.add(new MasterFileReader(top, zoneClass, sink, shared.part()));
    }
    MasterFileReader first = readers.get(0);
    CompletableFuture<State> head = new CompletableFuture<>();
    first.head = head;
    List<FutureTask<State>> others = new ArrayList<>(count - 1);
    for (int i = 1; i < count; i++) {
      MasterFileReader reader = readers.get(i);
      long start = starts[i];
      long end = starts[i + 1];
      FutureTask<State> task =
          new FutureTask<>(() -> reader.readSegment(file, start, end, head.join()));
      others.add(task);
      Thread thread = new Thread(task, "vxdns-zone-read-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    State[] ends = new State[count];
    try {
      ends[0] = first.readSegment(file, 0, starts[1], first.state(top));
      // A first segment of fewer records than its head: the others start from where it ended.
      head.complete(ends[0]);
    } catch (IOException | RuntimeException e) {
      head.completeExceptionally(e); // the others stop
      throw e;
    }
    for (int i = 1; i < count; i++) {
      try {
        ends[i] = others.get(i - 1).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted reading " + file);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        ends[i] = null; // the read in one pass meets it again, and reports it
      }
    }
    shared.end();
    State assumed = head.join();
    for (int i = 0; i < count; i++) {
      MasterFileReader reader = readers.get(i);
      if (ends[i] == null || !reader.errors.isEmpty() || !reader.warnings.isEmpty()) {
        return null;
      }
      if (i > 0 && !assumed.serves(ends[i - 1], reader.inheritedTtlRead)) {
        return null;
      }
    }
    return parts;
  }

  /** Reads the octets {@code [start, end)} of {@code file}, from {@code state}; its end state. */
  private State readSegment(Path file, long start, long end, State state) throws IOException {
    ttl = state.ttl;
    ttlKnown = state.ttlKnown;
    defaultTtl = state.defaultTtl;
    defaultTtlKnown = state.defaultTtlKnown;
    try (FileChannel channel = FileChannel.open(file)) {
      channel.position(start);
      MasterLexer lexer =
          new MasterLexer(Channels.newInputStream(channel), file.toString(), end - start);
      return state(readFile(lexer, file, state.origin).origin);
    }
  }

  /**
   * Where each segment of {@code file} starts (the first at 0), and the file's size last: about
   * equal parts, each from the start of a line that names an owner (not blank, a comment or a
   * parenthesis) after a newline no backslash escapes.
   */
  static long[] segmentStarts(Path file, int segments) throws IOException {
    long size = Files.size(file);
    List<Long> starts = new ArrayList<>(List.of(0L));
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer window = ByteBuffer.allocate(1 << 16);
      for (int i = 1; i < segments; i++) {
        long from = Math.max(size * i / segments, starts.get(starts.size() - 1) + 2);
        long start = ownerLineAfter(channel, window, from - 2);
        if (start > 0) {
          starts.add(start);
        }
      }
    }
    starts.add(size);
    return starts.stream().mapToLong(Long::longValue).toArray();
  }

  private static long ownerLineAfter(FileChannel channel, ByteBuffer window, long from)
      throws IOException {
    window.clear();
    int n = channel.read(window, from);
    byte[] octets = window.array();
    for (int i = 2; i < n; i++) {
      if (octets[i - 1] == '\n' && octets[i - 2] != '\\' && startsAnOwner(octets[i])) {
        return from + i;
      }
    }
    return -1;
  }

  private static boolean startsAnOwner(byte c) {
    return switch (c) {
      case ' ', '\t', '\r', '\n', ';', '(', ')', '"' -> false;
      default -> true;
    };
  }

  /** The progress of a file read in segments: their records added up. */
  private static final class SharedProgress {
    private final LongConsumer progress;
    private final AtomicLong total = new AtomicLong();

    SharedProgress(LongConsumer progress) {
      this.progress = progress;
    }

    LongConsumer part() {
      long[] reported = {0};
      return records -> {
        progress.accept(total.addAndGet(records - reported[0]));
        reported[0] = records;
      };
    }

    void end() {
      progress.accept(total.get());
    }
  }

  /**
   * The state of one file: its origin and the last owner, both wire (and restored after $INCLUDE).
   */
  private final class Context {
    final Path path;
    byte[] origin;
    byte[] owner;

    Context(Path path, byte[] origin) {
      this.path = path;
      this.origin = origin;
    }
  }

  /** Reads the entries of one file; its context at the end. */
  private Context readFile(MasterLexer lexer, Path path, byte[] origin) throws IOException {
    Context context = new Context(path, origin);
    while (errors.size() < MAX_ERRORS) {
      Entry entry;
      try {
        entry = lexer.next();
      } catch (MasterFileException e) {
        errors.add(e); // the lexer cannot resynchronise after unbalanced quotes or parentheses
        return context;
      }
      if (entry == null) {
        return context;
      }
      try {
        entry(lexer.file(), context, entry);
      } catch (MasterFileException e) {
        errors.add(e);
      }
      if (head != null && records >= HEAD_RECORDS) {
        head.complete(state(context.origin));
        head = null;
      }
    }
    return context;
  }

  private void entry(String file, Context context, Entry entry)
      throws MasterFileException, IOException {
    List<Token> tokens = entry.tokens();
    int i = 0;
    byte[] owner;
    if (entry.initialBlank()) {
      owner = context.owner;
      if (owner == null) {
        throw new MasterFileException(file, entry.line(), "no current owner name");
      }
    } else {
      Token first = tokens.get(0);
      if (!first.quoted() && first.text().startsWith("$")) {
        directive(file, context, entry);
        return;
      }
      owner = Fields.parseName(first, context.origin, file);
      context.owner = owner;
      i = 1;
    }
    record(file, context.origin, owner, tokens, i, entry.line());
  }

  /** [class] [ttl] [class] type rdata..., as BIND's master.c reads them. */
  private void record(String file, byte[] origin, byte[] owner, List<Token> tokens, int i, int line)
      throws MasterFileException {
    if (owner != checkedOwner) {
      checkedOwner = owner;
      ownerOutside = !NameText.atOrBelow(owner, top);
      if (ownerOutside) {
        // named's words (dns_master_load): the records are dropped, the zone loads.
        warnings.add(
            file + ":" + line + ": ignoring out-of-zone data (" + name(owner).toString(true) + ")");
      }
    }
    int dclass = -1;
    if (i < tokens.size() && (dclass = RrTypes.dclass(tokens.get(i).text())) >= 0) {
      i++;
    }
    boolean explicitTtl = false;
    long recordTtl = 0;
    if (i < tokens.size()) {
      long value = Ttls.parse(tokens.get(i).text());
      if (value >= 0) {
        recordTtl = limitTtl(file, line, value);
        explicitTtl = true;
        i++;
      }
    }
    if (dclass < 0 && i < tokens.size() && (dclass = RrTypes.dclass(tokens.get(i).text())) >= 0) {
      i++;
    }
    if (i >= tokens.size()) {
      throw new MasterFileException(file, line, "unexpected end of input");
    }
    Token typeToken = tokens.get(i++);
    int type = RrTypes.type(typeToken.text());
    if (type < 0) {
      throw new MasterFileException(file, line, "unknown RR type '" + typeToken.text() + "'");
    }
    if (RrTypes.isMeta(type)) {
      throw Fields.error(file, typeToken, "invalid use of a meta type");
    }
    if (dclass >= 0 && dclass != zoneClass) {
      throw new MasterFileException(
          file,
          line,
          "class '"
              + RrTypes.className(dclass)
              + "' != zone class '"
              + RrTypes.className(zoneClass)
              + "'");
    }
    byte[] rdata = RdataText.parse(type, new Fields(tokens, i, origin, file, line, out));
    if (type == TYPE_DS && NameText.same(owner, top)) {
      throw new MasterFileException(file, line, "DS record at top of zone (" + name(owner) + ")");
    }
    if ((type == TYPE_NS || type == TYPE_NSEC3) && owner[0] == 1 && owner[1] == '*') {
      // As BIND's master file loader: a wildcard cannot own a delegation or an NSEC3.
      throw new MasterFileException(
          file,
          line,
          name(owner).toString(true)
              + ": invalid "
              + RrTypes.typeName(type)
              + " owner name (wildcard)");
    }
    if (explicitTtl) {
      ttl = recordTtl;
      ttlKnown = true;
      ttlSet = true;
    } else if (!ttlKnown && !defaultTtlKnown) {
      if (type != TYPE_SOA) {
        throw new MasterFileException(file, line, "no TTL specified; zone rejected");
      }
      warnings.add(file + ":" + line + ": no TTL specified; using SOA MINTTL instead");
      long minimum = readU32(rdata, rdata.length - 4);
      ttl = limitTtl(file, line, minimum);
      defaultTtl = ttl;
      defaultTtlKnown = true;
      ttlSet = true;
    } else if (defaultTtlKnown) {
      ttl = defaultTtl;
      ttlSet = true;
    } else if (!ttlSet) {
      inheritedTtlRead = true;
    }
    if (ownerOutside) {
      return;
    }
    sink.record(owner, type, zoneClass, ttl, rdata, file, line);
    if (++records % PROGRESS_STEP == 0) {
      progress.accept(records);
    }
  }

  private long limitTtl(String file, int line, long value) {
    if (value > 0x7fffffffL) {
      warnings.add(file + ":" + line + ": TTL " + value + " > MAXTTL, setting TTL to 0");
      return 0;
    }
    return value;
  }

  private static long readU32(byte[] bytes, int at) {
    return ((bytes[at] & 0xffL) << 24)
        | ((bytes[at + 1] & 0xffL) << 16)
        | ((bytes[at + 2] & 0xffL) << 8)
        | (bytes[at + 3] & 0xffL);
  }

  private void directive(String file, Context context, Entry entry)
      throws MasterFileException, IOException {
    List<Token> tokens = entry.tokens();
    Fields fields = new Fields(tokens, 1, context.origin, file, entry.line(), out);
    String name = tokens.get(0).text().toUpperCase(Locale.ROOT);
    switch (name) {
      case "$ORIGIN" -> {
        context.origin = fields.name();
        expectEnd(fields);
      }
      case "$TTL" -> {
        Token t = fields.token();
        long value = Ttls.parse(t.text());
        if (value < 0) {
          throw fields.error(t, "bad ttl");
        }
        expectEnd(fields);
        ttl = limitTtl(file, entry.line(), value);
        defaultTtl = ttl;
        defaultTtlKnown = true;
        ttlSet = true;
      }
      case "$INCLUDE" -> include(file, context, fields, entry.line());
      case "$GENERATE" -> generate(file, context, fields, entry.line());
      default ->
          throw new MasterFileException(
              file, entry.line(), "unknown $ directive '" + tokens.get(0).text() + "'");
    }
  }

  private static void expectEnd(Fields fields) throws MasterFileException {
    if (fields.more()) {
      throw fields.error(fields.peek(), "extra input text");
    }
  }

  private void include(String file, Context context, Fields fields, int line)
      throws MasterFileException, IOException {
    Token pathToken = fields.token();
    byte[] includeOrigin = fields.more() ? fields.name() : context.origin;
    expectEnd(fields);
    Path included = Path.of(pathToken.text());
    if (!included.isAbsolute() && context.path.getParent() != null) {
      included = context.path.getParent().resolve(included);
    }
    InputStream in;
    try {
      in = open(included);
    } catch (NoSuchFileException e) {
      throw new MasterFileException(file, line, "$INCLUDE " + included + ": file not found");
    } catch (IOException e) {
      throw new MasterFileException(file, line, "$INCLUDE " + included + ": " + e.getMessage());
    }
    try (in) {
      readFile(new MasterLexer(in, included.toString()), included, includeOrigin);
    }
  }

  /** {@code $GENERATE range lhs [class] [ttl] [class] type rhs}, as BIND's master.c. */
  private void generate(String file, Context context, Fields fields, int line)
      throws MasterFileException, IOException {
    Token rangeToken = fields.token();
    Token lhs = fields.token();
    List<Token> rest = new ArrayList<>();
    while (fields.more()) {
      rest.add(fields.token());
    }
    if (rest.size() < 2) {
      throw new MasterFileException(file, line, "unexpected end of input");
    }
    Token rhs = rest.get(rest.size() - 1);
    long[] range = range(fields, rangeToken);
    for (long it = range[0]; it <= range[1]; it += range[2]) {
      String ownerText = substitute(fields, lhs, it);
      byte[] owner = Fields.parseName(new Token(ownerText, false, line), context.origin, file);
      String rhsText = substitute(fields, rhs, it);
      List<Token> tokens = new ArrayList<>(rest.subList(0, rest.size() - 1));
      MasterLexer rhsLexer =
          new MasterLexer(
              new java.io.ByteArrayInputStream(rhsText.getBytes(StandardCharsets.ISO_8859_1)),
              file);
      Entry parsed = rhsLexer.next();
      if (parsed != null) {
        for (Token t : parsed.tokens()) {
          tokens.add(new Token(t.text(), t.quoted(), line));
        }
      }
      record(file, context.origin, owner, tokens, 0, line);
    }
  }

  private static long[] range(Fields fields, Token t) throws MasterFileException {
    String s = t.text();
    int dash = s.indexOf('-');
    int slash = s.indexOf('/');
    try {
      long start = Long.parseLong(s.substring(0, dash));
      long stop = Long.parseLong(s.substring(dash + 1, slash < 0 ? s.length() : slash));
      long step = slash < 0 ? 1 : Long.parseLong(s.substring(slash + 1));
      if (start < 0 || stop > 0x7fffffffL || start > stop || step < 1) {
        throw fields.error(t, "$GENERATE: invalid range");
      }
      return new long[] {start, stop, step};
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw fields.error(t, "$GENERATE: invalid range");
    }
  }

  /** BIND's genname: {@code $}, {@code ${offset[,width[,base]]}}, {@code $$}; escapes kept. */
  private static String substitute(Fields fields, Token t, long iterator)
      throws MasterFileException {
    String s = t.text();
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        out.append(c).append(s.charAt(++i));
        continue;
      }
      if (c != '$') {
        out.append(c);
        continue;
      }
      if (i + 1 < s.length() && s.charAt(i + 1) == '$') {
        out.append('$');
        i++;
        continue;
      }
      long offset = 0;
      int width = 0;
      char base = 'd';
      if (i + 1 < s.length() && s.charAt(i + 1) == '{') {
        int close = s.indexOf('}', i);
        if (close < 0) {
          throw fields.error(t, "$GENERATE: bad modifier");
        }
        String[] parts = s.substring(i + 2, close).split(",", -1);
        try {
          offset = Long.parseLong(parts[0]);
          if (parts.length > 1) {
            width = Integer.parseInt(parts[1]);
          }
          if (parts.length > 2) {
            if (parts[2].length() != 1 || "doxXnN".indexOf(parts[2].charAt(0)) < 0) {
              throw fields.error(t, "$GENERATE: bad modifier");
            }
            base = parts[2].charAt(0);
          }
          if (parts.length > 3 || width < 0) {
            throw fields.error(t, "$GENERATE: bad modifier");
          }
        } catch (NumberFormatException e) {
          throw fields.error(t, "$GENERATE: bad modifier");
        }
        i = close;
      }
      long value = iterator + offset;
      if (value < 0 || value > 0xffffffffL) {
        throw fields.error(t, "$GENERATE: value out of range");
      }
      out.append(format(value, width, base));
    }
    return out.toString();
  }

  private static String format(long value, int width, char base) {
    if (base == 'n' || base == 'N') {
      StringBuilder nibbles = new StringBuilder();
      int left = width;
      do {
        char digit = Character.forDigit((int) (value & 0xf), 16);
        nibbles.append(base == 'N' ? Character.toUpperCase(digit) : digit);
        value >>= 4;
        left--;
        if (value != 0 || left > 0) {
          nibbles.append('.');
          left--;
        }
      } while (value != 0 || left > 0);
      return nibbles.toString();
    }
    String digits =
        switch (base) {
          case 'o' -> Long.toOctalString(value);
          case 'x' -> Long.toHexString(value);
          case 'X' -> Long.toHexString(value).toUpperCase(Locale.ROOT);
          default -> Long.toString(value);
        };
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }
}
