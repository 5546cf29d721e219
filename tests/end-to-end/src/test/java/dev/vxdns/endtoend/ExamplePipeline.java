package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Stage;
import dev.vxdns.verticles.acl.AclStage;
import dev.vxdns.verticles.auth.AuthStage;
import dev.vxdns.verticles.node.NodeConfig;
import dev.vxdns.verticles.zone.ZoneStage;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneSet;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The stages of the default pipeline (blackhole, auth, ACL, zone) of a node serving the shipped
 * {@code config/examples/acl.json}, run in the test's thread as {@code StageChain} runs them, and
 * valid queries to start from (plain, EDNS, TSIG-signed with the example's key; AXFR, TKEY, ANY, an
 * UPDATE and a NOTIFY). For the mutation and fuzz tests.
 */
record ExamplePipeline(List<Stage> stages, Stage auth, List<byte[]> seeds) {

  static ExamplePipeline fromExample() {
    try {
      Path examples = Path.of("../../config/examples").toAbsolutePath().normalize();
      JsonObject json = new JsonObject(Files.readString(examples.resolve("acl.json")));
      NodeConfig config = NodeConfig.parse(json, examples);
      Clock clock = Clock.systemUTC();
      List<TsigKey> keys = config.auth().keys();
      AuthStage auth =
          new AuthStage(new InMemoryKeyStore(clock, keys), null, null, clock, 1232, 1232);
      AclStage acl = new AclStage(config.acl());
      ZoneStage zone =
          new ZoneStage(
              ZoneSet.of(
                  List.of(ZoneFiles.load(TestNode.EXAMPLE_ZONE, Name.fromString("example.test.")))),
              1232,
              Name.fromString("whoami.vxdns."));
      config.close();
      return new ExamplePipeline(
          List.of(acl.blackhole(), auth, acl, zone), auth, seeds(keys.get(0)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<byte[]> seeds(TsigKey key) throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    for (int type : new int[] {Type.A, Type.AXFR, Type.TKEY, Type.ANY}) {
      Message plain =
          Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), type, DClass.IN));
      seeds.add(plain.toWire());
      Message edns = plain.clone();
      edns.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      seeds.add(edns.toWire());
      Message signed = edns.clone();
      key.toDnsjava().apply(signed, null);
      seeds.add(signed.toWire());
    }
    Message update = Message.newUpdate(Name.fromString("example.test."));
    update.addRecord(
        Record.fromString(
            Name.fromString("new.example.test."), Type.A, DClass.IN, 60, "192.0.2.9", Name.root),
        Section.UPDATE);
    seeds.add(update.toWire());
    Message notify = update.clone();
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    seeds.add(notify.toWire());
    return List.copyOf(seeds);
  }

  /**
   * The forward steps and the way back, as {@code StageChain} runs them (auth is the only stage
   * here that asks for the response back: it signs it).
   */
  DnsExchange run(DnsExchange exchange) {
    DnsExchange current = exchange;
    for (Stage stage : stages) {
      if (current.isFinished()) {
        break;
      }
      current = completed(stage.handle(current));
    }
    if (current.reply().outcome() == Outcome.RESPOND && !current.reply().steps().isEmpty()) {
      current = completed(auth.onResponse(current));
    }
    return current;
  }

  private static DnsExchange completed(Future<DnsExchange> step) {
    assertTrue(step.isComplete(), "the stages here answer synchronously");
    if (step.failed()) {
      throw new AssertionError("a stage failed", step.cause());
    }
    return step.result();
  }
}
