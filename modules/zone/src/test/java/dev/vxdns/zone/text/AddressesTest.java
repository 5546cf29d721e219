package dev.vxdns.zone.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Addresses in every form inet_pton takes, and the forms it refuses. */
class AddressesTest {

  @Test
  void everyFormOfAnIpv6AddressReadsAsItsOctets() {
    Random random = new Random(20261205);
    for (int n = 0; n < 20_000; n++) {
      byte[] address = new byte[16];
      // runs of zero groups, so that "::" has somewhere to go
      for (int group = 0; group < 8; group++) {
        if (random.nextInt(3) > 0) {
          address[2 * group] = (byte) random.nextInt(random.nextBoolean() ? 256 : 2);
          address[2 * group + 1] = (byte) random.nextInt(256);
        }
      }
      for (String text : forms(address, random)) {
        assertArrayEquals(address, Addresses.ipv6(text), text);
      }
    }
  }

  @Test
  void malformedAddressesAreRefused() {
    for (String text :
        new String[] {
          "",
          ":",
          ":::",
          "1::2::3",
          "12345::",
          "1:2:3:4:5:6:7",
          "1:2:3:4:5:6:7:8:9",
          "1:2:3:4:5:6:7::8",
          "::1:2:3:4:5:6:7:8",
          "g::",
          "::1.2.3",
          "::1.2.3.256",
          "::01.2.3.4",
          "1.2.3.4::",
          "1:2:3:4:5:6:7:1.2.3.4",
          "1:2:3:4:5:6:1.2.3.4:8",
          ":1:2:3:4:5:6:7",
          "1:2:3:4:5:6:7:",
          "1::2:",
          ":1::2",
          "1:2:3:4:5:6:7:8%eth0"
        }) {
      assertNull(Addresses.ipv6(text), text);
    }
    for (String text : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.1.1.1", "1..2.3"}) {
      assertNull(Addresses.ipv4(text), text);
    }
  }

  /** The full form, with "::" for each run of zero groups, and with an IPv4 tail. */
  private static List<String> forms(byte[] address, Random random) {
    String[] groups = new String[8];
    for (int group = 0; group < 8; group++) {
      int value = (address[2 * group] & 0xff) << 8 | address[2 * group + 1] & 0xff;
      String hex = Integer.toHexString(value);
      groups[group] = random.nextBoolean() ? hex.toUpperCase() : hex;
    }
    List<String> forms = new ArrayList<>();
    forms.add(String.join(":", groups));
    for (int from = 0; from < 8; from++) {
      int to = from;
      while (to < 8 && groups[to].equals("0")) {
        to++;
      }
      if (to > from) {
        forms.add(join(groups, 0, from) + "::" + join(groups, to, 8));
      }
    }
    String v4 =
        (address[12] & 0xff)
            + "."
            + (address[13] & 0xff)
            + "."
            + (address[14] & 0xff)
            + "."
            + (address[15] & 0xff);
    forms.add(join(groups, 0, 6) + ":" + v4);
    return forms;
  }

  private static String join(String[] groups, int from, int to) {
    return String.join(":", java.util.Arrays.asList(groups).subList(from, to));
  }
}
