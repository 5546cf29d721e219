package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How much of a zone's change history IXFR keeps: {@link PrimaryZone#oldestBeyond}. */
class HistoryTrimTest {
  @Test
  void theOldestChangesGoUntilTheRestFitTheLimit() {
    List<Long> sizes = List.of(10L, 10L, 10L, 10L, 10L, 10L);
    assertEquals(4, PrimaryZone.oldestBeyond(sizes, 60, 25), "two changes (20 bytes) fit 25");
    assertEquals(0, PrimaryZone.oldestBeyond(sizes, 60, 60), "all fit");
    assertEquals(5, PrimaryZone.oldestBeyond(sizes, 60, 1), "the newest stays, whatever its size");
    assertEquals(1, PrimaryZone.oldestBeyond(List.of(50L, 5L, 5L), 60, 20));
  }

  @Test
  void atMostMaxHistoryChangesStay() {
    ArrayDeque<Long> sizes = new ArrayDeque<>(Collections.nCopies(10_005, 1L));
    assertEquals(5, PrimaryZone.oldestBeyond(sizes, 10_005, Long.MAX_VALUE));
  }
}
