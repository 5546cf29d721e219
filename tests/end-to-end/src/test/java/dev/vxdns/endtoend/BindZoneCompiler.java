package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.text.MasterFileReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;
import org.xbill.DNS.utils.base16;

/**
 * BIND 9.20's named-compilezone (from /opt/vxdns/bind920 with its private libraries): a master file
 * compiled to BIND's raw format and read back, so that each record's wire RDATA as BIND parsed it
 * can be compared with ours.
 */
record BindZoneCompiler(Path binary) {

  static BindZoneCompiler find() {
    Path binary = Dig920.prefix().resolve("usr/bin/named-compilezone");
    Requires.that(
        Files.isExecutable(binary),
        "BIND 9.20's named-compilezone is not in " + binary + " (run .ci/install-bind.sh 9.20)");
    return new BindZoneCompiler(binary);
  }

  /** What BIND said and, when it loaded the zone, its RRsets. */
  record Result(boolean loaded, String output, Map<String, RrSet> rrsets) {}

  /** One RRset: its TTL and its RDATA as hex, sorted. */
  record RrSet(long ttl, TreeSet<String> rdata) {}

  /** The key of an RRset: owner (lower case) and type number. */
  static String key(Name owner, int type) {
    return owner.toString().toLowerCase(java.util.Locale.ROOT) + " " + type;
  }

  /**
   * Compiles {@code file} for zone {@code origin} with every check that is not about the syntax
   * turned off (as our loader only parses), to BIND's raw format.
   */
  Result compile(Path file, String origin) throws IOException, InterruptedException {
    Path raw = Files.createTempFile("bind", ".raw").toAbsolutePath();
    List<String> command =
        List.of(
            binary.toString(),
            "-i",
            "none",
            "-k",
            "ignore",
            "-n",
            "ignore",
            "-M",
            "ignore",
            "-S",
            "ignore",
            "-T",
            "ignore",
            "-W",
            "ignore",
            "-r",
            "ignore",
            "-f",
            "text",
            "-F",
            "raw",
            "-o",
            raw.toString(),
            origin,
            file.toAbsolutePath().toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.directory(file.toAbsolutePath().getParent().toFile());
    builder.environment().put("LD_LIBRARY_PATH", Dig920.privateLibraries());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "named-compilezone did not finish");
    boolean loaded = process.exitValue() == 0;
    Map<String, RrSet> rrsets = loaded ? readRaw(raw) : Map.of();
    Files.deleteIfExists(raw);
    return new Result(loaded, output, rrsets);
  }

  /** BIND's raw format (masterdump.c): a 24-octet header, then RRsets with wire RDATA. */
  private static Map<String, RrSet> readRaw(Path raw) throws IOException {
    Map<String, RrSet> rrsets = new TreeMap<>();
    try (DataInputStream in =
        new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(raw)))) {
      in.skipNBytes(24);
      while (in.available() > 0) {
        in.readInt(); // total length
        in.readUnsignedShort(); // class
        int type = in.readUnsignedShort();
        in.readUnsignedShort(); // covers
        long ttl = in.readInt() & 0xffffffffL;
        int count = in.readInt();
        byte[] owner = new byte[in.readUnsignedShort()];
        in.readFully(owner);
        TreeSet<String> rdata = new TreeSet<>();
        for (int i = 0; i < count; i++) {
          byte[] data = new byte[in.readUnsignedShort()];
          in.readFully(data);
          rdata.add(base16.toString(data));
        }
        String key = key(new Name(owner), type);
        RrSet known = rrsets.get(key);
        if (known != null) {
          rdata.addAll(known.rdata()); // RRSIGs of different covered types come separately
        }
        rrsets.put(key, new RrSet(ttl, rdata));
      }
    }
    return rrsets;
  }

  /** Our parser's RRsets of the same file: the first TTL of each, as BIND keeps it. */
  static Map<String, RrSet> ours(Path file, Name origin) throws Exception {
    Map<String, RrSet> rrsets = new TreeMap<>();
    MasterFileReader.read(
        file,
        origin,
        1,
        (owner, type, dclass, ttl, rdata, source, line) ->
            rrsets
                .computeIfAbsent(
                    key(MasterFileReader.name(owner), type), k -> new RrSet(ttl, new TreeSet<>()))
                .rdata()
                .add(base16.toString(rdata)));
    return rrsets;
  }

  /** Every difference between BIND's RRsets and ours, one line each. */
  static List<String> differences(Map<String, RrSet> bind, Map<String, RrSet> ours) {
    List<String> differences = new ArrayList<>();
    for (String key : new TreeSet<>(bind.keySet())) {
      if (!ours.containsKey(key)) {
        differences.add("only BIND has " + key + " " + bind.get(key));
      } else if (!ours.get(key).equals(bind.get(key))) {
        differences.add(key + ": BIND " + bind.get(key) + ", ours " + ours.get(key));
      }
    }
    for (String key : ours.keySet()) {
      if (!bind.containsKey(key)) {
        differences.add("only we have " + key + " " + ours.get(key));
      }
    }
    return differences;
  }
}
