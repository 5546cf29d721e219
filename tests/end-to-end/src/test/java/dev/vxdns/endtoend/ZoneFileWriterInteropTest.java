package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.journal.ZoneFileWriter;
import dev.vxdns.update.DynamicUpdate;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * BIND reads the master files {@code ZoneFileWriter} writes: named-checkzone (BIND 9.20 from
 * /opt/vxdns/bind920 with its private libraries, and Debian's 9.18) accepts a zone of many types,
 * escaped names and TXT strings, updated by diffs, with its strictest checks, and the zone BIND
 * dumps back ({@code -D}) holds exactly the records vxdns wrote.
 */
class ZoneFileWriterInteropTest {

  static final Name ORIGIN = Name.fromConstantString("example.test.");

  @TempDir Path folder;

  record Checkzone(Path binary, Map<String, String> environment) {}

  @Test
  void bind920AcceptsTheWrittenFile() throws Exception {
    Path binary = Dig920.prefix().resolve("usr/bin/named-checkzone");
    Requires.that(
        Files.isExecutable(binary),
        "BIND 9.20's named-checkzone is not in " + binary + " (run .ci/install-bind.sh 9.20)");
    check(new Checkzone(binary, Map.of("LD_LIBRARY_PATH", Dig920.privateLibraries())));
  }

  @Test
  void debianBindAcceptsTheWrittenFile() throws Exception {
    Path binary =
        Files.isExecutable(Path.of("/usr/sbin/named-checkzone"))
            ? Path.of("/usr/sbin/named-checkzone")
            : Path.of("/usr/bin/named-checkzone");
    Requires.that(
        Files.isExecutable(binary), "named-checkzone is not installed (Debian bind9-utils)");
    check(new Checkzone(binary, Map.of()));
  }

  private void check(Checkzone checkzone) throws Exception {
    Zone zone = updated(ZoneFiles.load(resource("rich.example.test.zone"), ORIGIN));
    Path file = folder.resolve("example.test.zone");
    ZoneFileWriter.write(zone, file);

    Path dump = folder.resolve("dumped.zone");
    // Integrity checks "local": "full" also asks the system's resolver about the delegation's
    // glue (ns.child.example.test), off this machine.
    String output =
        run(
            checkzone,
            List.of(
                "-k",
                "fail",
                "-i",
                "local",
                "-D",
                "-o",
                dump.toString(),
                "example.test",
                file.toString()));
    assertTrue(output.contains("loaded serial " + zone.serial()), output);
    assertTrue(output.endsWith("OK\n"), output);
    assertEquals(contents(zone.records()), contents(parse(Files.readString(dump))), output);

    // Positive control: the same checks refuse a broken file.
    Path broken = folder.resolve("broken.zone");
    Files.writeString(
        broken, Files.readString(file) + "www\t3600\tIN\tA\t192.0.2.80\n", StandardCharsets.UTF_8);
    String refused =
        run(checkzone, List.of("-k", "fail", "-i", "local", "example.test", broken.toString()));
    assertTrue(refused.contains("CNAME and other data"), refused);
  }

  /** The zone after diffs that add names and strings needing escapes, and delete some records. */
  private static Zone updated(Zone zone) throws Exception {
    SOARecord from = zone.soa();
    SOARecord to = DynamicUpdate.withSerial(from, from.getSerial() + 1);
    List<Record> deleted = parse("hinfo 3600 IN HINFO \"PC Intel\" \"Linux\"\n");
    List<Record> added =
        parse(
            "new\\ name 300 IN TXT \"added by an update: \\\"quoted\\\" \\\\ \\255\"\n"
                + "v6 300 IN AAAA 2001:db8::1:0:0:1\n"
                + "_dmarc 300 IN TXT \"v=DMARC1; p=reject\"\n");
    return zone.apply(new ZoneDiff(from, to, deleted, added));
  }

  private String run(Checkzone checkzone, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(checkzone.binary().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(checkzone.environment());
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "named-checkzone did not finish");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (args.contains("-D")) {
      assertEquals(0, process.exitValue(), output);
    } else {
      assertNotEquals(0, process.exitValue(), output);
    }
    return output;
  }

  private static List<Record> parse(String text) throws Exception {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ORIGIN)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
      }
    }
    return records;
  }

  /** Records as sorted text with TTLs (Record.equals ignores the TTL). */
  private static List<String> contents(List<Record> records) {
    return records.stream().map(Record::toString).sorted().collect(Collectors.toList());
  }

  private static Path resource(String name) throws Exception {
    return Path.of(ZoneFileWriterInteropTest.class.getResource("/zones/" + name).toURI());
  }
}
