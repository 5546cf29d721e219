package dev.vxdns.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class PacketCacheTest {
  private final CacheCounters counters = new CacheCounters();

  private static Message query(String name) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
  }

  private static Message answer(Message query, long ttl) throws Exception {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    Name name = query.getQuestion().getName();
    response.addRecord(
        new ARecord(name, DClass.IN, ttl, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    response.addRecord(
        new NSRecord(
            Name.fromString("big.test."), DClass.IN, 3600, Name.fromString("ns.big.test.")),
        Section.AUTHORITY);
    response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return response;
  }

  @Test
  void aHitHasTheQueryIdAndAgedTtls() throws Exception {
    PacketCache cache = new PacketCache(10, 1 << 20, 86400, counters);
    Message query = query("ns.big.test.");
    CacheKey key = CacheKey.of(query, false, false, true);
    Message response = answer(query, 60);
    cache.put(key, response, response.toWire(), 1_000_000);
    byte[] hit =
        cache.get(CacheKey.of(query("NS.big.test."), false, false, true), 0x1234, 1_010_500);
    assertNotNull(hit);
    Message cached = new Message(hit);
    assertEquals(0x1234, cached.getHeader().getID());
    assertEquals(50, cached.getSection(Section.ANSWER).get(0).getTTL());
    assertEquals(3590, cached.getSection(Section.AUTHORITY).get(0).getTTL());
    assertNull(cache.get(key, 1, 1_060_000), "gone after the smallest TTL");
    assertEquals(0, cache.size());
  }

  @Test
  void negativeAnswersLiveForTheSoaMinimumAndErrorsNotAtAll() throws Exception {
    PacketCache cache = new PacketCache(10, 1 << 20, 86400, counters);
    Message query = query("none.big.test.");
    Message nx = new Message(query.getHeader().getID());
    nx.getHeader().setFlag(Flags.QR);
    nx.getHeader().setRcode(Rcode.NXDOMAIN);
    nx.addRecord(query.getQuestion(), Section.QUESTION);
    nx.addRecord(
        new SOARecord(
            Name.fromString("big.test."),
            DClass.IN,
            600,
            Name.fromString("ns.big.test."),
            Name.fromString("admin.big.test."),
            1,
            3600,
            600,
            86400,
            30),
        Section.AUTHORITY);
    CacheKey key = CacheKey.of(query, false, false, true);
    cache.put(key, nx, nx.toWire(), 0);
    assertNotNull(cache.get(key, 1, 29_000));
    assertNull(cache.get(key, 1, 30_000), "RFC 2308: min(SOA TTL, MINIMUM) = 30 s");
    Message servfail = nx.clone();
    servfail.getHeader().setRcode(Rcode.SERVFAIL);
    cache.put(key, servfail, servfail.toWire(), 0);
    assertNull(cache.get(key, 1, 1));
  }

  @Test
  void boundedInEntriesLeastRecentlyUsedFirst() throws Exception {
    PacketCache cache = new PacketCache(2, 1 << 20, 86400, counters);
    CacheKey[] keys = new CacheKey[3];
    for (int i = 0; i < 3; i++) {
      Message query = query("n" + i + ".big.test.");
      keys[i] = CacheKey.of(query, false, false, true);
      Message response = answer(query, 60);
      cache.put(keys[i], response, response.toWire(), 0);
      if (i == 1) {
        assertNotNull(cache.get(keys[0], 1, 0)); // n0 used: n1 is the eldest now
      }
    }
    assertEquals(2, cache.size());
    assertNotNull(cache.get(keys[0], 1, 0));
    assertNull(cache.get(keys[1], 1, 0));
    assertEquals(1L, counters.snapshot().get("cache evictions"));
  }

  @Test
  void keysIgnoreCookiesAndSeparateEcsSubnets() throws Exception {
    Message plain = query("www.example.test.");
    Message withEcs = plain.clone();
    ClientSubnet.Sent sent =
        ClientSubnet.DEFAULT.apply(plain, InetAddress.getByName("198.51.100.77"));
    Message otherSubnet =
        ClientSubnet.DEFAULT.apply(plain, InetAddress.getByName("203.0.113.9")).query();
    assertEquals(
        CacheKey.of(sent.query(), false, false, true),
        CacheKey.of(
            ClientSubnet.DEFAULT.apply(plain, InetAddress.getByName("198.51.100.1")).query(),
            false,
            false,
            true),
        "the same /24");
    assertEquals(
        false,
        CacheKey.of(sent.query(), false, false, true)
            .equals(CacheKey.of(otherSubnet, false, false, true)));
    assertEquals(
        CacheKey.of(sent.query(), false, false, false),
        CacheKey.of(otherSubnet, false, false, false),
        "without ECS (zero scope) both are one key");
    withEcs.addRecord(
        new OPTRecord(
            1232, 0, 0, 0, java.util.List.of(new org.xbill.DNS.CookieOption(new byte[8]))),
        Section.ADDITIONAL);
    Message otherCookie = plain.clone();
    byte[] cookie = new byte[8];
    cookie[0] = 1;
    otherCookie.addRecord(
        new OPTRecord(1232, 0, 0, 0, java.util.List.of(new org.xbill.DNS.CookieOption(cookie))),
        Section.ADDITIONAL);
    assertEquals(
        CacheKey.of(withEcs, false, false, true), CacheKey.of(otherCookie, false, false, true));
    assertEquals(
        24,
        ((ClientSubnetOption)
                sent.query().getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0))
            .getSourcePrefixLength());
  }

  @Test
  void aClientsOwnSubnetIsKeptUnlessOverridden() throws Exception {
    Message query = query("www.example.test.");
    InetAddress own = InetAddress.getByName("192.0.2.0");
    query.addRecord(
        new OPTRecord(1232, 0, 0, 0, java.util.List.of(new ClientSubnetOption(24, own))),
        Section.ADDITIONAL);
    InetAddress client = InetAddress.getByName("198.51.100.77");
    ClientSubnetOption kept =
        (ClientSubnetOption)
            ClientSubnet.DEFAULT
                .apply(query, client)
                .query()
                .getOPT()
                .getOptions(EDNSOption.Code.CLIENT_SUBNET)
                .get(0);
    assertEquals(own, kept.getAddress());
    ClientSubnetOption replaced =
        (ClientSubnetOption)
            new ClientSubnet(24, 56, true)
                .apply(query, client)
                .query()
                .getOPT()
                .getOptions(EDNSOption.Code.CLIENT_SUBNET)
                .get(0);
    assertEquals(InetAddress.getByName("198.51.100.0"), replaced.getAddress());
    assertEquals(
        1,
        new ClientSubnet(24, 56, true)
            .apply(query, client)
            .query()
            .getOPT()
            .getOptions(EDNSOption.Code.CLIENT_SUBNET)
            .size());
  }

  @Test
  void restoreRemovesWhatTheClientDidNotSend() throws Exception {
    Message response = answer(query("x.test."), 60);
    response.getOPT(); // has OPT
    Message noEdns = response.clone();
    ClientSubnet.restore(noEdns, false, false);
    assertNull(noEdns.getOPT());
    assertArrayEquals(
        response.getSection(Section.ANSWER).toArray(), noEdns.getSection(Section.ANSWER).toArray());
  }
}
