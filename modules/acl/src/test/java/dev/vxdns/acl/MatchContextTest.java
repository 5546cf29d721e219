package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A query's context made in one step is the one the steps make one by one. */
class MatchContextTest {

  @Test
  void madeAtOnceItIsWhatTheStepsMake() {
    for (String address : new String[] {"192.0.2.7", "2001:db8::7", "::ffff:192.0.2.7"}) {
      for (String key : new String[] {null, "Host1-Host2", "host1-host2."}) {
        for (String transport : new String[] {null, "udp", "TLS", "doh"}) {
          MatchContext steps = MatchContext.of(ip(address)).withKey(key).withPort(853);
          if (transport != null) {
            steps = steps.withTransport(transport);
          }
          MatchContext atOnce = MatchContext.of(ip(address), 853, transport).withKey(key);
          assertEquals(steps, atOnce);
          assertEquals(steps.toString(), atOnce.toString());
        }
      }
    }
  }

  @Test
  void itRefusesWhatTheStepsRefuse() {
    assertThrows(IllegalArgumentException.class, () -> MatchContext.of(ip("192.0.2.7"), 0, "udp"));
    assertThrows(
        IllegalArgumentException.class,
        () -> MatchContext.of(ip("192.0.2.7"), 53, "carrier-pigeon"));
    assertThrows(
        IllegalArgumentException.class, () -> MatchContext.of(ip("192.0.2.7")).withPort(65536));
  }

  @Test
  void noEcsOptionOrKeyOnAContextWithoutOneIsTheSameContext() {
    MatchContext context = MatchContext.of(ip("192.0.2.7"), 53, "udp");
    assertSame(context, context.withEcs(null, 0));
    assertSame(context, context.withKey(null));
    MatchContext withEcs = context.withEcs(ip("198.51.100.0"), 24);
    assertEquals("198.51.100.0/24", withEcs.ecs());
    assertEquals(context, withEcs.withEcs(null, 0));
  }
}
