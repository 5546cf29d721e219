package dev.vxdns.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import org.junit.jupiter.api.Test;

class JournalSizesTest {

  @Test
  void keywordsAndNumbers() {
    assertEquals(Long.MAX_VALUE, JournalSizes.parse("unlimited"));
    assertEquals(Long.MAX_VALUE, JournalSizes.parse("UNLIMITED"));
    assertEquals(JournalSizes.DEFAULT, JournalSizes.parse("default"));
    assertEquals(JournalSizes.DEFAULT, JournalSizes.parse("Default"));
    assertEquals(100000, JournalSizes.parse("100000"));
    assertEquals(512 * 1024, JournalSizes.parse("512k"));
    assertEquals(512 * 1024, JournalSizes.parse("512K"));
    assertEquals(10L << 20, JournalSizes.parse("10m"));
    assertEquals(10L << 20, JournalSizes.parse("10M"));
    assertEquals(1L << 30, JournalSizes.parse("1g"));
    assertEquals(1L << 30, JournalSizes.parse("1G"));
    assertEquals(2147483647L, JournalSizes.parse("2147483647"));
  }

  @Test
  void smallValuesAreRoundedUpAsInBind() {
    assertEquals(4096, JournalSizes.parse("0"));
    assertEquals(4096, JournalSizes.parse("100"));
    assertEquals(4096, JournalSizes.parse("1k"));
    assertEquals(8192, JournalSizes.parse("8k"));
  }

  @Test
  void badValuesAreRefusedClearly() {
    for (String bad : new String[] {"", "k", "10x", "-1", "1.5m", "10 m", "10mb", "lots", "0x10"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> JournalSizes.parse(bad), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("unlimited"), e.getMessage());
    }
    for (String big :
        new String[] {"2g", "2147483648", "3G", "99999999999999999999", "9999999999g"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> JournalSizes.parse(big), big);
      assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> JournalSizes.parse(null));
  }

  @Test
  void defaultIsTwiceTheZone() {
    Zone zone = Chain.base();
    long limit = JournalSizes.limit(JournalSizes.DEFAULT, zone);
    assertEquals(JournalSizes.MINIMUM, limit, "a tiny zone gets the minimum");
    StringBuilder text =
        new StringBuilder(
            "$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n");
    for (int i = 0; i < 2000; i++) {
      text.append("h").append(i).append(" IN A 192.0.2.").append(i % 250).append('\n');
    }
    Zone big = Chain.zone(text.toString());
    long bigLimit = JournalSizes.limit(JournalSizes.DEFAULT, big);
    assertTrue(bigLimit > 2 * 2000 * 30 && bigLimit < 2 * 2000 * 60, "limit " + bigLimit);
    assertEquals(12345, JournalSizes.limit(12345, big));
    assertEquals(Long.MAX_VALUE, JournalSizes.limit(Long.MAX_VALUE, big));
  }
}
