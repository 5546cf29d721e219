package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer fuzz target of the pipeline's stages (blackhole, auth, ACL, zone of {@link
 * ExamplePipeline}, from config/examples/acl.json): any bytes received from any of a few sources
 * end in a finished exchange whose response, if any, renders; no exception escapes. {@code mvn
 * verify} replays the corpus in {@code PipelineFuzzTestInputs/}; {@code bench/fuzz.sh pipeline
 * MINUTES} fuzzes for real.
 *
 * <p>An input's first byte picks the source (its low bits, from {@link #SOURCES}) and the transport
 * (its top bit: TCP, else UDP); the rest is the query as received.
 */
class PipelineFuzzTest {
  private static final ExamplePipeline PIPELINE = ExamplePipeline.fromExample();

  /** Internal, blackholed (bogusnets), internal, refused by allow-query, and two others. */
  private static final List<InetSocketAddress> SOURCES =
      List.of(
          new InetSocketAddress("127.0.0.1", 40000),
          new InetSocketAddress("192.0.2.1", 40000),
          new InetSocketAddress("198.51.100.7", 40000),
          new InetSocketAddress("203.0.113.66", 40000),
          new InetSocketAddress("::1", 40000),
          new InetSocketAddress("2001:db8::1", 0));

  @FuzzTest(maxDuration = "10m")
  void everyQueryEndsFinishedWithAResponseThatRenders(byte[] input) {
    if (input.length == 0) {
      return;
    }
    InetSocketAddress source = SOURCES.get((input[0] & 0x7F) % SOURCES.size());
    boolean stream = (input[0] & 0x80) != 0;
    DnsExchange received =
        DnsExchange.received(
            stream ? Transport.TCP : Transport.UDP,
            "fuzz",
            source,
            new InetSocketAddress("127.0.0.1", 5300),
            Arrays.copyOfRange(input, 1, input.length));
    DnsExchange finished = PIPELINE.run(received);
    assertTrue(finished.isFinished(), "finished: " + finished);
    if (finished.reply().outcome() == Outcome.RESPOND) {
      assertNotNull(finished.responseMessage());
      assertNotNull(DnsResponses.render(finished, stream ? 65535 : 1232));
    }
  }
}
