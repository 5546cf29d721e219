package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;

/**
 * The shipped {@code config/examples/forward.json} in front of {@code proxy.json}, on the ports the
 * issue names: a {@code whoami.vxdns. CH TXT} query sent to 5311 with a PROXY header from
 * 198.51.100.77 is answered by the second node with 198.51.100.77.
 */
class ForwardExampleTest {
  private static final Path EXAMPLES =
      Path.of("../../config/examples").toAbsolutePath().normalize();

  private static JsonObject example(String name) throws Exception {
    return new JsonObject(Files.readString(EXAMPLES.resolve(name)));
  }

  @Test
  void theSecondNodeSeesTheClientOfTheFirstNodesProxyHeader() throws Exception {
    try (TestNode second = TestNode.start(example("proxy.json"), EXAMPLES, null);
        TestNode first = TestNode.start(example("forward.json"), EXAMPLES, null)) {
      byte[] reply =
          DnsClient.udp(
              5311,
              ForwardEndToEndTest.proxied(
                  "198.51.100.77", false, ForwardEndToEndTest.whoamiQuery(7).toWire()),
              5000);
      assertNotNull(reply, "an answer through both nodes");
      List<String> lines = ForwardEndToEndTest.txt(new Message(reply));
      assertEquals("source 198.51.100.77#40000", lines.get(0), lines.toString());
      assertEquals("destination 192.0.2.53#53", lines.get(1));
      assertTrue(lines.get(3).startsWith("proxy yes, via 127.0.0.1#"), lines.toString());
      // Without a header, through 5310: the first node's own client, 127.0.0.1.
      List<String> direct =
          ForwardEndToEndTest.txt(
              new Message(DnsClient.udp(5310, ForwardEndToEndTest.whoamiQuery(8).toWire(), 5000)));
      assertTrue(direct.get(0).startsWith("source 127.0.0.1#"), direct.toString());
    }
  }
}
