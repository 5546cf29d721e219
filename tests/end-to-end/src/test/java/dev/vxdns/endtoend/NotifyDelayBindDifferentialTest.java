package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * BIND's {@code notify-delay}: after a set of NOTIFYs for a zone, a change waits that long before
 * the next set tells of it, and one set then tells of every change since. A named and a vxdns
 * primary with {@code notify-delay 2} and one {@code also-notify} target: the update right after
 * the start's NOTIFY is told about 2 s after it, and of two updates right after that NOTIFY only
 * the second is told, again about 2 s later. With {@code notify-delay 0} (the control) vxdns tells
 * of each update at once.
 */
class NotifyDelayBindDifferentialTest {
  private static final String ZONE = "delay.test";

  @Test
  void changesWaitForTheDelayAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    long[] theirs;
    try (NotifyListeners target = new NotifyListeners(1)) {
      int namedPort = TransferPeers.freePorts(1)[0];
      try (Peer named =
          target.startNamedPrimary(dir.resolve("named"), namedPort, ZONE, "  notify-delay 2;")) {
        theirs = gaps(target, namedPort, named::log);
      }
    }
    long[] ours = vxdnsGaps(dir.resolve("delayed"), 2);
    long[] undelayed = vxdnsGaps(dir.resolve("undelayed"), 0);
    System.out.printf(
        "NotifyDelayBindDifferentialTest: from the start's NOTIFY to the first update's, then to"
            + " the third update's: named %s ms, vxdns %s ms, vxdns without a delay %s ms%n",
        Arrays.toString(theirs), Arrays.toString(ours), Arrays.toString(undelayed));
    for (int i = 0; i < 2; i++) {
      assertTrue(theirs[i] >= 1500 && theirs[i] < 4000, "named: " + Arrays.toString(theirs));
      assertTrue(ours[i] >= 1500 && ours[i] < 4000, "vxdns: " + Arrays.toString(ours));
      assertTrue(undelayed[i] < 1000, "vxdns without a delay: " + Arrays.toString(undelayed));
    }
    assertEquals(0, theirs[2], "named told serial 3 on its own");
    assertEquals(0, ours[2], "vxdns told serial 3 on its own");
  }

  private static long[] vxdnsGaps(Path dir, int delay) throws Exception {
    Files.createDirectories(dir);
    try (NotifyListeners target = new NotifyListeners(1)) {
      int port = TestNode.freePort();
      JsonObject config = target.primaryConfig(port, dir, ZONE);
      config.getJsonObject("options").put("notify-delay", delay);
      try (TestNode node = TestNode.start(config)) {
        return gaps(target, port, () -> "vxdns");
      }
    }
  }

  /**
   * The start's NOTIFY (serial 1), an update at once (serial 2), and when its NOTIFY came two
   * updates at once (serials 3 and 4): the time from serial 1's NOTIFY to serial 2's, from serial
   * 2's to serial 4's, and 1 if serial 3 was told on its own (else 0).
   */
  private static long[] gaps(NotifyListeners target, int port, Supplier<String> diagnostics)
      throws Exception {
    long first = target.firstArrival(1, diagnostics);
    update(port, "a");
    long second = target.firstArrival(2, diagnostics);
    update(port, "b");
    update(port, "c");
    long fourth = target.firstArrival(4, diagnostics);
    Thread.sleep(300);
    return new long[] {
      TimeUnit.NANOSECONDS.toMillis(second - first),
      TimeUnit.NANOSECONDS.toMillis(fourth - second),
      target.received(3) ? 1 : 0
    };
  }

  private static void update(int port, String label) throws Exception {
    TransferPeers.update(
        port,
        ZONE,
        update ->
            update.add(TransferPeers.name(label + "." + ZONE + "."), Type.A, 300, "192.0.2.8"));
  }
}
