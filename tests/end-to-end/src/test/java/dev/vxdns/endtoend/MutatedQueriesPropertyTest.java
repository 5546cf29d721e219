package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Stage;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.acl.AclStage;
import dev.vxdns.verticles.auth.AuthStage;
import dev.vxdns.verticles.node.NodeConfig;
import dev.vxdns.verticles.zone.ZoneStage;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneSet;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Naive mutations of valid queries (bit flips, truncation, insertion, as a fuzzer makes them) run
 * through the stages of the default pipeline, built directly from the shipped {@code
 * config/examples/acl.json}: no exception escapes a stage, and every query ends finished (respond,
 * drop or close) with a response that renders. Bounded: a fixed seed and 2,000 tries.
 */
class MutatedQueriesPropertyTest {
  private static final Pipeline PIPELINE = Pipeline.fromExample();

  /** The auth, ACL and zone stages of a node serving config/examples/acl.json. */
  private record Pipeline(List<Stage> stages, List<byte[]> seeds) {
    static Pipeline fromExample() {
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
                    List.of(
                        ZoneFiles.load(TestNode.EXAMPLE_ZONE, Name.fromString("example.test.")))),
                1232,
                Name.fromString("whoami.vxdns."));
        config.close();
        return new Pipeline(List.of(auth, acl, zone), seeds(keys.get(0)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static List<byte[]> seeds(TsigKey key) throws Exception {
      List<byte[]> seeds = new ArrayList<>();
      for (int type : new int[] {Type.A, Type.AXFR, Type.TKEY, Type.ANY}) {
        Message plain =
            Message.newQuery(
                Record.newRecord(Name.fromString("www.example.test."), type, DClass.IN));
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

    /** The forward steps and the way back, as {@code StageChain} runs them. */
    DnsExchange run(DnsExchange exchange) {
      DnsExchange current = exchange;
      for (Stage stage : stages) {
        if (current.isFinished()) {
          break;
        }
        current = completed(stage.handle(current));
      }
      if (current.reply().outcome() == Outcome.RESPOND && !current.reply().steps().isEmpty()) {
        current = completed(stages.get(0).onResponse(current));
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

  /** One naive edit of the bytes. */
  record Mutation(int kind, int position, int value) {
    byte[] apply(byte[] in) {
      int at = in.length == 0 ? 0 : position % in.length;
      switch (kind) {
        case 0: // flip a bit
          byte[] flipped = in.clone();
          if (in.length > 0) {
            flipped[at] ^= (byte) (1 << (value & 7));
          }
          return flipped;
        case 1: // truncate
          return Arrays.copyOf(in, at);
        case 2: // insert a byte
          byte[] longer = new byte[in.length + 1];
          System.arraycopy(in, 0, longer, 0, at);
          longer[at] = (byte) value;
          System.arraycopy(in, at, longer, at + 1, in.length - at);
          return longer;
        default: // overwrite a byte
          byte[] overwritten = in.clone();
          if (in.length > 0) {
            overwritten[at] = (byte) value;
          }
          return overwritten;
      }
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 4096),
                Arbitraries.integers().between(0, 255))
            .as(Mutation::new);
    return one.list().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 2000, seed = "20261203")
  void noMutationEscapesTheStagesAsAnException(
      @ForAll("seedIndex") int seed,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll boolean stream)
      throws Exception {
    byte[] query = PIPELINE.seeds().get(seed);
    for (Mutation mutation : mutations) {
      query = mutation.apply(query);
    }
    DnsExchange received =
        DnsExchange.received(
            stream ? Transport.TCP : Transport.UDP,
            "fuzz",
            new InetSocketAddress("127.0.0.1", 40000),
            new InetSocketAddress("127.0.0.1", 5300),
            query);
    DnsExchange finished = PIPELINE.run(received);
    assertTrue(finished.isFinished(), "finished: " + finished);
    if (finished.reply().outcome() == Outcome.RESPOND) {
      assertNotNull(finished.reply().response());
      assertNotNull(DnsResponses.render(finished, 1232));
    }
  }

  @Provide
  Arbitrary<Integer> seedIndex() {
    return Arbitraries.integers().between(0, PIPELINE.seeds().size() - 1);
  }
}
