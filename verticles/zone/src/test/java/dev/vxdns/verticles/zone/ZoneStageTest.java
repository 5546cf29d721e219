package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneSet;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

@ExtendWith(VertxExtension.class)
class ZoneStageTest {
  private static final Path EXAMPLE = Path.of("../../config/zones/example.test.zone");

  private static ZoneStage stage() throws Exception {
    Zone zone = ZoneFiles.load(EXAMPLE, Name.fromString("example.test."));
    return new ZoneStage(ZoneSet.of(List.of(zone)), 1232);
  }

  private static DnsExchange ask(String name, int type, int dclass) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return DnsExchange.received(
        Transport.UDP,
        "t",
        new InetSocketAddress("127.0.0.1", 1),
        new InetSocketAddress("127.0.0.1", 53),
        query.toWire());
  }

  /** A zone verticle serving {@code zones} (the config's zone section), files relative to dir. */
  private static io.vertx.core.Future<String> deploy(Vertx vertx, JsonObject zones, Path dir)
      throws Exception {
    return vertx.deployVerticle(verticle(zones, dir), new DeploymentOptions());
  }

  private static ZoneVerticle verticle(JsonObject zones, Path dir) throws Exception {
    JsonObject config =
        new JsonObject()
            .put(
                "options",
                new JsonObject()
                    .put(
                        "listen-on",
                        new JsonArray().add(new JsonObject().put("address", "127.0.0.1"))))
            .put("zone", zones);
    return new ZoneVerticle(ConfigSource.of(config, dir).parse(ZoneSettings.PART));
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** The serial of the zone's SOA as the registered zone stage answers it. */
  private static long serial(Vertx vertx, String zone) throws Exception {
    dev.vxdns.message.Stage zones =
        dev.vxdns.message.StageRegistry.of(vertx).find(dev.vxdns.message.Addresses.ZONE_QUERY);
    Message response = await(zones.handle(ask(zone, Type.SOA, DClass.IN))).responseMessage();
    return ((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial();
  }

  /**
   * As named's rndc reload: the files edited since they were read are read again, a file with
   * errors leaves the served version, and a zone that took dynamic updates (it has a journal) is
   * left to its journal.
   */
  @Test
  void aReloadReadsAgainTheFilesEditedSinceButNotADynamicZones(Vertx vertx, @TempDir Path dir)
      throws Exception {
    String zone = "$TTL 60\n@ IN SOA ns admin %d 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n";
    Path plain = Files.writeString(dir.resolve("plain.zone"), zone.formatted(1));
    Path dynamic = Files.writeString(dir.resolve("dynamic.zone"), zone.formatted(1));
    Files.createFile(dir.resolve("dynamic.zone.jnl"));
    ZoneVerticle zones =
        verticle(
            new JsonObject()
                .put("plain.test", new JsonObject().put("file", "plain.zone"))
                .put("dynamic.test", new JsonObject().put("file", "dynamic.zone")),
            dir);
    await(vertx.deployVerticle(zones));
    assertEquals(List.of(), await(zones.reloadChangedFiles()), "nothing edited yet");

    Files.writeString(plain, zone.formatted(2));
    Files.writeString(dynamic, zone.formatted(2));
    assertEquals(
        List.of(
            "dynamic.test.: a dynamic zone (it has taken updates): its edited file is not read, and"
                + " the node writes over it; change the zone with UPDATE",
            "plain.test. reloaded from its file"),
        await(zones.reloadChangedFiles()));
    assertEquals(2, serial(vertx, "plain.test."));
    assertEquals(1, serial(vertx, "dynamic.test."));
    assertEquals(List.of(), await(zones.reloadChangedFiles()), "read or reported already");

    Files.writeString(plain, zone.formatted(3) + "bad line\n");
    assertEquals(
        List.of("plain.test.: its file has errors (logged): not reloaded"),
        await(zones.reloadChangedFiles()));
    assertEquals(2, serial(vertx, "plain.test."));

    // Fixed, it is read at the next reload (no writer ran it meanwhile).
    Files.writeString(plain, zone.formatted(4));
    assertEquals(List.of("plain.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    assertEquals(4, serial(vertx, "plain.test."));
  }

  /** The zone stage's answers to two questions, asked once {@code deployed} is. */
  private static io.vertx.core.Future<List<DnsExchange>> answers(
      Vertx vertx, io.vertx.core.Future<String> deployed, DnsExchange one, DnsExchange two) {
    return deployed.compose(
        id -> {
          dev.vxdns.message.Stage zones =
              dev.vxdns.message.StageRegistry.of(vertx)
                  .find(dev.vxdns.message.Addresses.ZONE_QUERY);
          return zones
              .handle(one)
              .compose(first -> zones.handle(two).map(second -> List.of(first, second)));
        });
  }

  private static int ede(Message response) {
    return ((ExtendedErrorCodeOption) response.getOPT().getOptions().get(0)).getErrorCode();
  }

  @ParameterizedTest(name = "{0} {1} class {2} -> {3} EDE {4}")
  @CsvSource({
    "example.com., A, IN, REFUSED, 20",
    "example.test., SOA, CH, REFUSED, 20",
    "example.test., MAILB, IN, NOTIMP, 21",
  })
  void refusesWhatItDoesNotServeWithAnExtendedError(
      String name, String type, String dclass, String rcode, int ede) throws Exception {
    DnsExchange answered = stage().answer(ask(name, Type.value(type), DClass.value(dclass)));
    assertEquals(Outcome.RESPOND, answered.reply().outcome());
    assertEquals(Rcode.value(rcode), answered.responseMessage().getRcode());
    assertEquals(ede, ede(answered.responseMessage()));
  }

  @Test
  void metaTypesInTheQuestionAreFormerr() throws Exception {
    for (int type : new int[] {Type.OPT, Type.TSIG, Type.TKEY}) {
      DnsExchange answered = stage().answer(ask("example.test.", type, DClass.IN));
      assertEquals(Rcode.FORMERR, answered.responseMessage().getRcode(), Type.string(type));
    }
  }

  @Test
  void answersFromTheZoneAndKeepsTheParsedRequest() throws Exception {
    DnsExchange answered = stage().answer(ask("www.example.test.", Type.A, DClass.IN));
    assertEquals(Rcode.NOERROR, answered.responseMessage().getRcode());
    assertEquals(2, answered.responseMessage().getSection(Section.ANSWER).size());
    assertEquals(Name.fromString("www.example.test."), answered.request().getQuestion().getName());
  }

  @Test
  void aZoneThatDoesNotLoadFailsAloneWhileTheOthersServe(
      Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("bad.zone"),
        "$TTL 60\n@ IN SOA ns admin 1 2 3 4 5\n@ IN NS ns\nns IN A 300.1.1.1\n");
    JsonObject zones =
        new JsonObject()
            .put("bad.test", new JsonObject().put("file", "bad.zone"))
            // notify no: the example zone's NS hosts have documentation addresses, off this host
            .put(
                "example.test",
                new JsonObject()
                    .put("file", EXAMPLE.toAbsolutePath().toString())
                    .put("notify", "no"));
    DnsExchange goodQuestion = ask("www.example.test.", Type.A, DClass.IN);
    DnsExchange badQuestion = ask("ns.bad.test.", Type.A, DClass.IN);
    answers(vertx, deploy(vertx, zones, dir), goodQuestion, badQuestion)
        .onComplete(
            test.succeeding(
                answers ->
                    test.verify(
                        () -> {
                          // the good zone answers, the broken one is SERVFAIL (named's behaviour)
                          Message good = answers.get(0).responseMessage();
                          assertEquals(Rcode.NOERROR, good.getRcode());
                          assertTrue(!good.getSection(Section.ANSWER).isEmpty(), good.toString());
                          assertEquals(Rcode.SERVFAIL, answers.get(1).responseMessage().getRcode());
                          test.completeNow();
                        })));
  }

  /**
   * Two zones whose files are FIFOs: the test writes the second zone's file first, which can only
   * happen when its load has opened it while the first zone's load still waits for its writer.
   * Loaded one after the other, the first load would wait forever and the test would time out.
   */
  @Test
  void zonesLoadSideBySide(Vertx vertx, VertxTestContext test, @TempDir Path dir) throws Exception {
    Path first = dir.resolve("first.zone");
    Path second = dir.resolve("second.zone");
    for (Path fifo : List.of(first, second)) {
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      assertEquals(0, mkfifo.waitFor(), "mkfifo " + fifo);
    }
    io.vertx.core.Future<String> deployed =
        deploy(
            vertx,
            new JsonObject()
                .put("first.test", new JsonObject().put("file", "first.zone"))
                .put("second.test", new JsonObject().put("file", "second.zone")),
            dir);
    java.util.concurrent.ExecutorService writer =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      for (Path fifo : List.of(second, first)) {
        // Opening a FIFO to write waits for its reader: here, the zone load.
        writer
            .submit(
                () ->
                    Files.writeString(
                        fifo,
                        "$TTL 60\n@ IN SOA ns admin 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n"))
            .get(20, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      // Whatever happened, nobody stays blocked on a FIFO: a read-write open never waits.
      for (Path fifo : List.of(first, second)) {
        new java.io.RandomAccessFile(fifo.toFile(), "rw").close();
      }
      writer.shutdownNow();
    }
    DnsExchange firstQuestion = ask("ns.first.test.", Type.A, DClass.IN);
    DnsExchange secondQuestion = ask("ns.second.test.", Type.A, DClass.IN);
    answers(vertx, deployed, firstQuestion, secondQuestion)
        .onComplete(
            test.succeeding(
                answers ->
                    test.verify(
                        () -> {
                          for (DnsExchange answered : answers) {
                            Message response = answered.responseMessage();
                            assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
                            assertEquals(1, response.getSection(Section.ANSWER).size());
                          }
                          test.completeNow();
                        })));
  }
}
