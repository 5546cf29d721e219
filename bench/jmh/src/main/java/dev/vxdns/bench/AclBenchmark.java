package dev.vxdns.bench;

import dev.vxdns.acl.AclDecision;
import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.acl.MatchContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evaluating address-match lists: a 10-element list as operators write them (named lists, a nested
 * negation, a key) and a 100,000-prefix list whose matching element is the last one, for a client
 * that matches and one that matches nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AclBenchmark {
  private AddressMatchList tenElements;
  private AddressMatchList hundredThousand;
  private MatchContext signedInternal;
  private MatchContext lastElement;
  private MatchContext nowhere;

  /** 100,000 distinct /26s inside 10/8 (262,144 exist), then 127.0.0.0/8 last. */
  static List<Object> largeList() {
    List<Object> elements = new ArrayList<>();
    Random random = new Random(100_000);
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    while (elements.size() < 100_000) {
      int block = random.nextInt(1 << 18);
      if (seen.add(block)) {
        elements.add(
            "10." + (block >> 10) + "." + ((block >> 2) & 0xFF) + "." + (block & 3) * 64 + "/26");
      }
    }
    elements.add("127.0.0.0/8");
    return elements;
  }

  @Setup
  public void setUp() throws Exception {
    Map<String, List<?>> named =
        Map.of(
            "bogusnets", List.of("0.0.0.0/8", "192.0.2.0/24", "224.0.0.0/3"),
            "internal", List.of("127.0.0.0/8", "::1", "198.51.100.0/24"));
    AclEnvironment environment = AclEnvironment.empty();
    tenElements =
        AddressMatchList.compile(
            List.of(
                "!bogusnets",
                "!203.0.113.66",
                "10/8",
                "172.16/12",
                "192.168/16",
                "2001:db8::/32",
                Map.of("!", List.of("!internal", "any")),
                "key host1-host2.",
                "!198.18/15",
                "none"),
            named,
            environment);
    hundredThousand = AddressMatchList.compile(largeList(), Map.of(), environment);
    signedInternal = MatchContext.of(InetAddress.getByName("198.51.100.7")).withKey("host1-host2.");
    lastElement = MatchContext.of(InetAddress.getByName("127.0.0.1"));
    nowhere = MatchContext.of(InetAddress.getByName("203.0.113.5"));
    if (!tenElements.evaluate(signedInternal).allowed()
        || !hundredThousand.evaluate(lastElement).allowed()
        || hundredThousand.evaluate(nowhere).matched()) {
      throw new IllegalStateException("the benchmark lists do not decide as intended");
    }
  }

  @Benchmark
  public AclDecision tenElementsKeyMatch() {
    return tenElements.evaluate(signedInternal);
  }

  @Benchmark
  public AclDecision hundredThousandLastElement() {
    return hundredThousand.evaluate(lastElement);
  }

  @Benchmark
  public AclDecision hundredThousandNoMatch() {
    return hundredThousand.evaluate(nowhere);
  }
}
