package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vxdns.auth.ServerCookies.Status;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCookiesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] CLIENT_COOKIE = HEX.parseHex("2464c4abcf10c957");
  private static final byte[] SECRET = HEX.parseHex("e5e973e5a6b2a43f48e7dc849e37bfcf");
  private static final long NOW = 1559731985L;

  private final ServerCookies cookies = new ServerCookies(List.of(SECRET));

  /** RFC 9018 Appendix A.1: "Learning a new Server Cookie". */
  @Test
  void mintsRfc9018sExample() throws Exception {
    byte[] minted = cookies.mint(CLIENT_COOKIE, InetAddress.getByName("198.51.100.100"), NOW);
    assertEquals("2464c4abcf10c957010000005cf79f111f8130c3eee29480", HEX.formatHex(minted));
  }

  @Test
  void acceptsItsOwnCookieForAnHourAndFiveMinutesAhead() throws Exception {
    InetAddress client = InetAddress.getByName("192.0.2.53");
    byte[] server = serverPart(cookies.mint(CLIENT_COOKIE, client, NOW));
    assertEquals(Status.VALID, cookies.check(CLIENT_COOKIE, server, client, NOW));
    assertEquals(Status.VALID, cookies.check(CLIENT_COOKIE, server, client, NOW + 3600));
    assertEquals(Status.BAD_TIME, cookies.check(CLIENT_COOKIE, server, client, NOW + 3601));
    assertEquals(Status.VALID, cookies.check(CLIENT_COOKIE, server, client, NOW - 300));
    assertEquals(Status.BAD_TIME, cookies.check(CLIENT_COOKIE, server, client, NOW - 301));
  }

  @Test
  void refusesAnotherClientsOrAnotherAddressesCookie() throws Exception {
    InetAddress client = InetAddress.getByName("192.0.2.53");
    byte[] server = serverPart(cookies.mint(CLIENT_COOKIE, client, NOW));
    InetAddress other = InetAddress.getByName("192.0.2.54");
    assertEquals(Status.NO_MATCH, cookies.check(CLIENT_COOKIE, server, other, NOW));
    byte[] otherClientCookie = CLIENT_COOKIE.clone();
    otherClientCookie[7] ^= 1;
    assertEquals(Status.NO_MATCH, cookies.check(otherClientCookie, server, client, NOW));
    byte[] flipped = server.clone();
    flipped[15] ^= 1;
    assertEquals(Status.NO_MATCH, cookies.check(CLIENT_COOKIE, flipped, client, NOW));
    byte[] otherVersion = server.clone();
    otherVersion[0] = 2;
    assertEquals(Status.NO_MATCH, cookies.check(CLIENT_COOKIE, otherVersion, client, NOW));
  }

  @Test
  void aClientCookieAloneIsNewAndOtherLengthsAreBad() throws Exception {
    InetAddress client = InetAddress.getByName("2001:db8::1");
    assertEquals(Status.NEW, cookies.check(CLIENT_COOKIE, new byte[0], client, NOW));
    byte[] server = serverPart(cookies.mint(CLIENT_COOKIE, client, NOW));
    for (int length : new int[] {8, 15, 17, 32}) {
      byte[] resized = Arrays.copyOf(server, length);
      assertEquals(Status.BAD_SIZE, cookies.check(CLIENT_COOKIE, resized, client, NOW));
    }
  }

  /** A secret being rolled over: new cookies under the first, the old ones still accepted. */
  @Test
  void acceptsEverySecretAndMintsWithTheFirst() throws Exception {
    InetAddress client = InetAddress.getByName("192.0.2.53");
    byte[] newSecret = HEX.parseHex("00112233445566778899aabbccddeeff");
    ServerCookies rolling = new ServerCookies(List.of(newSecret, SECRET));
    byte[] old = serverPart(cookies.mint(CLIENT_COOKIE, client, NOW));
    assertEquals(Status.VALID, rolling.check(CLIENT_COOKIE, old, client, NOW));
    byte[] minted = rolling.mint(CLIENT_COOKIE, client, NOW);
    assertArrayEquals(
        new ServerCookies(List.of(newSecret)).mint(CLIENT_COOKIE, client, NOW), minted);
    assertEquals(Status.NO_MATCH, cookies.check(CLIENT_COOKIE, serverPart(minted), client, NOW));
  }

  @Test
  void aSecretHas128Bits() {
    assertThrows(IllegalArgumentException.class, () -> new ServerCookies(List.of(new byte[15])));
    assertThrows(IllegalArgumentException.class, () -> new ServerCookies(List.of()));
  }

  private static byte[] serverPart(byte[] option) {
    return Arrays.copyOfRange(option, ServerCookies.CLIENT_COOKIE_LENGTH, option.length);
  }
}
