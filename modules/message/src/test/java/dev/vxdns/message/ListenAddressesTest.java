package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's UDP listen addresses, which notify_isself asks: an exact address and port, a wildcard
 * on the port for the machine's addresses (an IPv6 wildcard for IPv4 ones too), and a socket
 * counted until its last instance closes.
 */
class ListenAddressesTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static InetSocketAddress at(String address, int port) {
    return new InetSocketAddress(address, port);
  }

  /** The machine's addresses, as the test says they are. */
  private static final Predicate<InetAddress> LOCAL =
      address ->
          List.of("127.0.0.9", "192.0.2.1", "2001:db8::1").stream()
              .map(literal -> new InetSocketAddress(literal, 0).getAddress())
              .anyMatch(address::equals);

  @Test
  void anExactAddressAndPortIsThisNode() {
    ListenAddresses listening = ListenAddresses.of(vertx);
    listening.add(at("127.0.0.80", 53));
    assertEquals(true, listening.listensOn(at("127.0.0.80", 53), LOCAL));
    assertEquals(false, listening.listensOn(at("127.0.0.80", 5353), LOCAL), "another port");
    assertEquals(false, listening.listensOn(at("127.0.0.81", 53), LOCAL), "another address");
  }

  @Test
  void aWildcardIsThisNodeForTheMachinesAddressesOnly() {
    ListenAddresses listening = ListenAddresses.of(vertx);
    listening.add(at("0.0.0.0", 53));
    assertEquals(true, listening.listensOn(at("192.0.2.1", 53), LOCAL));
    assertEquals(false, listening.listensOn(at("192.0.2.2", 53), LOCAL), "not the machine's");
    assertEquals(false, listening.listensOn(at("2001:db8::1", 53), LOCAL), "IPv4 wildcard, IPv6");
    listening.add(at("::", 53));
    assertEquals(true, listening.listensOn(at("2001:db8::1", 53), LOCAL));
    listening.remove(at("0.0.0.0", 53));
    assertEquals(true, listening.listensOn(at("192.0.2.1", 53), LOCAL), "dual-stack :: takes v4");
  }

  @Test
  void aSocketCountsUntilItsLastInstanceCloses() {
    ListenAddresses listening = ListenAddresses.of(vertx);
    listening.add(at("127.0.0.80", 53));
    listening.add(at("127.0.0.80", 53));
    listening.remove(at("127.0.0.80", 53));
    assertEquals(true, listening.listensOn(at("127.0.0.80", 53), LOCAL), "one instance left");
    listening.remove(at("127.0.0.80", 53));
    assertEquals(false, listening.listensOn(at("127.0.0.80", 53), LOCAL));
  }
}
