package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Naive mutations of valid queries (bit flips, truncation, insertion, as a fuzzer makes them) run
 * through the stages of the default pipeline, built directly from the shipped {@code
 * config/examples/acl.json} ({@link ExamplePipeline}): no exception escapes a stage, and every
 * query ends finished (respond, drop or close) with a response that renders. Bounded: a fixed seed
 * and 2,000 tries.
 */
class MutatedQueriesPropertyTest {
  private static final ExamplePipeline PIPELINE = ExamplePipeline.fromExample();

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
      assertNotNull(finished.responseMessage());
      assertNotNull(DnsResponses.render(finished, 1232));
    }
  }

  @Provide
  Arbitrary<Integer> seedIndex() {
    return Arbitraries.integers().between(0, PIPELINE.seeds().size() - 1);
  }
}
