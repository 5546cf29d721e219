package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransfersInTest {
  private static final InetAddress A = address(1);
  private static final InetAddress B = address(2);
  private static final InetAddress C = address(3);

  private static InetAddress address(int last) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPrimaryGetsAtMostItsShareAndTheRestWaitInOrder() {
    TransfersIn slots = new TransfersIn(10, 2);
    Future<TransfersIn.Slot> a1 = slots.take(A);
    Future<TransfersIn.Slot> a2 = slots.take(A);
    Future<TransfersIn.Slot> a3 = slots.take(A);
    Future<TransfersIn.Slot> a4 = slots.take(A);
    Future<TransfersIn.Slot> b1 = slots.take(B);
    assertTrue(a1.isComplete() && a2.isComplete());
    assertFalse(a3.isComplete() || a4.isComplete(), "two from one primary at once");
    assertTrue(b1.isComplete(), "a primary at its limit does not hold up another");
    assertEquals(2, slots.waiting());

    a1.result().release();
    assertTrue(a3.isComplete(), "the first waiting goes next");
    assertFalse(a4.isComplete());
    a1.result().release(); // a second release gives nothing back
    assertFalse(a4.isComplete());
    a2.result().release();
    assertTrue(a4.isComplete());
    assertEquals(0, slots.waiting());
  }

  @Test
  void theNodeRunsAtMostTransfersInAndAFreedSlotGoesToTheFirstThatCanUseIt() {
    TransfersIn slots = new TransfersIn(3, 2);
    List<Future<TransfersIn.Slot>> running = new ArrayList<>();
    running.add(slots.take(A));
    running.add(slots.take(A));
    running.add(slots.take(B));
    Future<TransfersIn.Slot> thirdFromA = slots.take(A);
    Future<TransfersIn.Slot> fromC = slots.take(C);
    assertTrue(running.stream().allMatch(Future::isComplete));
    assertFalse(thirdFromA.isComplete() || fromC.isComplete(), "three at once on the node");

    running.get(2).result().release(); // B's: A still has two running, so C goes
    assertFalse(thirdFromA.isComplete());
    assertTrue(fromC.isComplete());
    running.get(0).result().release();
    assertTrue(thirdFromA.isComplete());
  }
}
