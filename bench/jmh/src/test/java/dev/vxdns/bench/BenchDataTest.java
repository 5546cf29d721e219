package dev.vxdns.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks' set-up checks (the answers each kind must give) pass, and every method runs once.
 */
class BenchDataTest {

  @Test
  void everyQueryKindGivesItsAnswer() {
    for (BenchData.Kind kind : BenchData.Kind.values()) {
      QueryPathBenchmark bench = new QueryPathBenchmark();
      bench.kind = kind;
      bench.records = 1000;
      assertDoesNotThrow(bench::setUp, kind.name());
      assertDoesNotThrow(
          () -> {
            bench.parse();
            bench.answer();
            bench.render();
            bench.full();
          },
          kind.name());
    }
  }

  @Test
  void codecsRoundTrip() throws Exception {
    CodecBenchmark bench = new CodecBenchmark();
    bench.setUp();
    bench.exchangeRoundTrip();
    bench.dnsjavaParseResponse();
    bench.dnsjavaResponseToWire();
  }

  @Test
  void tsigSignsAndVerifies() throws Exception {
    TsigBenchmark bench = new TsigBenchmark();
    bench.setUp();
    bench.verify();
    bench.sign();
    bench.stageSigned();
    bench.stageUnsigned();
    bench.stageUnsignedRendered();
  }
}
