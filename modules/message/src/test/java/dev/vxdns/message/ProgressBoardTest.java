package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBoardTest {
  @Test
  void aTaskIsListedWithItsCountsUntilItEnds() throws Exception {
    ProgressBoard board = new ProgressBoard();
    Progress load = board.begin("zone-load", "example.test.", -1);
    Progress write = board.begin("zone-write", "dyn.test.", 10_000);
    load.advanceTo(4096);
    write.advanceTo(8192);
    Thread.sleep(20);
    assertEquals(2, board.running().size());
    JsonObject json = write.toJson();
    assertEquals("zone-write", json.getString("kind"));
    assertEquals("dyn.test.", json.getString("subject"));
    assertEquals(8192, json.getLong("done"));
    assertEquals(10_000, json.getLong("total"));
    assertTrue(json.getLong("rate") > 0 && json.getLong("elapsed-ms") >= 20, json.encode());
    assertTrue(write.toString().startsWith("zone-write dyn.test.: 8192 of 10000 records, "));
    assertTrue(load.toString().startsWith("zone-load example.test.: 4096 records, "));
    board.end(load);
    assertEquals(List.of(write), board.running());
    board.end(write);
    assertEquals(List.of(), board.running());
  }
}
