package dev.vxdns.verticles.rrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.verticles.rrl.Account.Decision;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** The token bucket, slip and prefix logic on a fake clock. */
class RateLimiterTest {
  private final AtomicLong clock = new AtomicLong(1000);

  private static RrlSettings settings(int rate, int window, int slip, int all, int maxTable) {
    return new RrlSettings(
        true,
        rate,
        rate,
        rate,
        rate,
        rate,
        all,
        window,
        slip,
        24,
        56,
        AddressMatchList.none(),
        false,
        maxTable);
  }

  private RateLimiter limiter(RrlSettings settings) {
    return new RateLimiter(settings, clock::get);
  }

  private static Decision answer(RateLimiter limiter, String client, String name) throws Exception {
    return limiter.judge(
        InetAddress.getByName(client),
        ResponseKind.ANSWER,
        Name.fromString(name),
        Type.A,
        DClass.IN);
  }

  private static List<Decision> answers(RateLimiter limiter, String client, int count)
      throws Exception {
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      decisions.add(answer(limiter, client, "www.example.test."));
    }
    return decisions;
  }

  @Test
  void aNewAccountHasRateResponsesThenSlipsEverySecondLimitedOne() throws Exception {
    RateLimiter limiter = limiter(settings(5, 15, 2, 0, 1000));
    List<Decision> decisions = answers(limiter, "192.0.2.1", 11);
    assertEquals(
        List.of(
            Decision.PASS,
            Decision.PASS,
            Decision.PASS,
            Decision.PASS,
            Decision.PASS,
            Decision.SLIP,
            Decision.DROP,
            Decision.SLIP,
            Decision.DROP,
            Decision.SLIP,
            Decision.DROP),
        decisions);
  }

  @Test
  void slipZeroNeverTruncatesSlipOneAlwaysDoes() throws Exception {
    assertEquals(
        List.of(Decision.PASS, Decision.DROP, Decision.DROP, Decision.DROP),
        answers(limiter(settings(1, 15, 0, 0, 1000)), "192.0.2.1", 4));
    assertEquals(
        List.of(Decision.PASS, Decision.SLIP, Decision.SLIP, Decision.SLIP),
        answers(limiter(settings(1, 15, 1, 0, 1000)), "192.0.2.1", 4));
    assertEquals(
        List.of(Decision.PASS, Decision.SLIP, Decision.DROP, Decision.DROP, Decision.SLIP),
        answers(limiter(settings(1, 15, 3, 0, 1000)), "192.0.2.1", 5));
  }

  @Test
  void creditComesBackAtTheRatePerSecondUpToTheRate() throws Exception {
    RateLimiter limiter = limiter(settings(2, 15, 0, 0, 1000));
    assertEquals(List.of(Decision.PASS, Decision.PASS), answers(limiter, "192.0.2.1", 2));
    clock.addAndGet(1);
    assertEquals(
        List.of(Decision.PASS, Decision.PASS, Decision.DROP), answers(limiter, "192.0.2.1", 3));
    // Ten idle seconds earn no more than the rate.
    clock.addAndGet(10);
    assertEquals(
        List.of(Decision.PASS, Decision.PASS, Decision.DROP), answers(limiter, "192.0.2.1", 3));
  }

  @Test
  void aFloodBuildsDebtUpToTheWindowAndIsLimitedUntilItIsPaid() throws Exception {
    RateLimiter limiter = limiter(settings(2, 5, 0, 0, 1000));
    answers(limiter, "192.0.2.1", 100); // debt capped at window x rate = 10
    clock.addAndGet(5); // earns 10: back to 0, still nothing to spend
    assertEquals(List.of(Decision.DROP), answers(limiter, "192.0.2.1", 1));
    clock.addAndGet(1); // -1 + 2 = 1
    assertEquals(List.of(Decision.PASS, Decision.DROP), answers(limiter, "192.0.2.1", 2));
    // Idle longer than the window: a fresh account.
    clock.addAndGet(6);
    assertEquals(List.of(Decision.PASS, Decision.PASS), answers(limiter, "192.0.2.1", 2));
  }

  @Test
  void addressesInOnePrefixShareAnAccountOthersDoNot() throws Exception {
    RateLimiter limiter = limiter(settings(1, 15, 0, 0, 1000));
    assertEquals(Decision.PASS, answer(limiter, "192.0.2.1", "www.example.test."));
    assertEquals(Decision.DROP, answer(limiter, "192.0.2.200", "www.example.test."));
    assertEquals(Decision.PASS, answer(limiter, "192.0.3.1", "www.example.test."));
    // The name is part of the account, in any case.
    assertEquals(Decision.PASS, answer(limiter, "192.0.2.1", "mail.example.test."));
    assertEquals(Decision.DROP, answer(limiter, "192.0.2.1", "WWW.Example.TEST."));
    // IPv6: a /56.
    assertEquals(Decision.PASS, answer(limiter, "2001:db8:0:100::1", "www.example.test."));
    assertEquals(Decision.DROP, answer(limiter, "2001:db8:0:1ff::2", "www.example.test."));
    assertEquals(Decision.PASS, answer(limiter, "2001:db8:0:200::1", "www.example.test."));
  }

  @Test
  void prefixesAreMaskedToTheConfiguredLength() throws Exception {
    assertEquals(
        AccountKey.of(InetAddress.getByName("10.1.2.3"), 16, 56, ResponseKind.ERROR, null, 0, 1),
        AccountKey.of(InetAddress.getByName("10.1.200.9"), 16, 56, ResponseKind.ERROR, null, 0, 1));
    assertTrue(
        !AccountKey.of(InetAddress.getByName("10.1.2.3"), 32, 56, ResponseKind.ERROR, null, 0, 1)
            .equals(
                AccountKey.of(
                    InetAddress.getByName("10.1.2.4"), 32, 56, ResponseKind.ERROR, null, 0, 1)));
    assertEquals(
        AccountKey.of(InetAddress.getByName("2001:db8::1"), 24, 0, ResponseKind.ERROR, null, 0, 1),
        AccountKey.of(InetAddress.getByName("fe80::9"), 24, 0, ResponseKind.ERROR, null, 0, 1));
    assertEquals(
        AccountKey.of(
            InetAddress.getByName("2001:db8::1:0:0:1"), 24, 80, ResponseKind.ERROR, null, 0, 1),
        AccountKey.of(
            InetAddress.getByName("2001:db8::1:ffff:0:2"), 24, 80, ResponseKind.ERROR, null, 0, 1));
  }

  @Test
  void errorsAreOneAccountPerPrefixAndNeverSlip() throws Exception {
    RateLimiter limiter = limiter(settings(1, 15, 1, 0, 1000));
    InetAddress client = InetAddress.getByName("192.0.2.1");
    assertEquals(Decision.PASS, limiter.judge(client, ResponseKind.ERROR, null, Type.A, 1));
    assertEquals(Decision.DROP, limiter.judge(client, ResponseKind.ERROR, null, Type.MX, 1));
    assertEquals(Decision.DROP, limiter.judge(client, ResponseKind.ERROR, null, Type.A, 1));
  }

  @Test
  void allPerSecondDropsWhateverTheOtherAccountSays() throws Exception {
    RateLimiter limiter = limiter(settings(10, 15, 1, 3, 1000));
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      decisions.add(answer(limiter, "192.0.2.1", "n" + i + ".example.test."));
    }
    assertEquals(
        List.of(Decision.PASS, Decision.PASS, Decision.PASS, Decision.DROP, Decision.DROP),
        decisions);
  }

  @Test
  void aSpoofedFloodOfPrefixesNeverGrowsTheTableBeyondItsBound() throws Exception {
    RateLimiter limiter = limiter(settings(5, 15, 2, 0, 100));
    for (int i = 0; i < 10_000; i++) {
      answer(limiter, "10." + (i >> 8 & 255) + "." + (i & 255) + ".1", "www.example.test.");
      assertTrue(limiter.size() <= 100, "size " + limiter.size());
    }
    assertTrue(limiter.evicted() >= 9_900 - 100, "evicted " + limiter.evicted());
    // Accounts idle longer than the window are removed first, and counted apart.
    clock.addAndGet(16);
    limiter.removeExpired();
    assertEquals(0, limiter.size());
    assertTrue(limiter.expired() > 0);
  }

  @Test
  void aZeroRateIsNoLimit() throws Exception {
    RateLimiter limiter = limiter(settings(0, 15, 2, 0, 1000));
    assertEquals(List.of(Decision.PASS, Decision.PASS, Decision.PASS), answers(limiter, "::1", 3));
    assertEquals(0, limiter.size());
  }
}
