package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-only writer produces files that MaxMind's own reader reads back. */
class MmdbWriterTest {
  @TempDir Path dir;

  @Test
  void cityDatabaseReadsBackWithTheGeoip2Reader() throws Exception {
    Path file = dir.resolve("GeoIP2-City.mmdb");
    GeoipFixtures.cityDb().write(file);
    try (DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals("GeoIP2-City", r.getMetadata().getDatabaseType());
      assertEquals(6, r.getMetadata().getIpVersion());
      CityResponse sf = r.city(ip("192.0.2.200"));
      assertEquals("US", sf.getCountry().getIsoCode());
      assertEquals("United States", sf.getCountry().getName());
      assertEquals("NA", sf.getContinent().getCode());
      assertEquals("San Francisco", sf.getCity().getName());
      assertEquals("CA", sf.getLeastSpecificSubdivision().getIsoCode());
      assertEquals("California", sf.getLeastSpecificSubdivision().getName());
      assertEquals("95062", sf.getPostal().getCode());
      assertEquals(807, sf.getLocation().getMetroCode());
      assertEquals("America/Los_Angeles", sf.getLocation().getTimeZone());
      assertEquals("192.0.2.128/25", sf.getTraits().getNetwork().toString());
      assertEquals("Seattle", r.city(ip("192.0.2.1")).getCity().getName());
      assertEquals("Berlin", r.city(ip("2001:db8:1:2::3")).getCity().getName());
      assertEquals("Tokyo", r.city(ip("::ffff:198.51.100.7")).getCity().getName());
      assertTrue(r.tryCity(ip("192.0.3.1")).isEmpty());
      assertTrue(r.tryCity(ip("2001:db8:2::1")).isEmpty());
    }
  }

  /** The tree walk of {@link GeoipDatabase} agrees with MaxMind's reader for every record size. */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}-bit records")
  @org.junit.jupiter.params.provider.ValueSource(ints = {24, 28, 32})
  void everyRecordSizeReadsBackAndOurTreeWalkAgrees(int bits) throws Exception {
    Path file = dir.resolve("GeoIP2-City-" + bits + ".mmdb");
    GeoipFixtures.cityDb()
        .recordSize(bits)
        .put(
            "2001:db8:ffff::/48",
            java.util.Map.of("city", java.util.Map.of("names", java.util.Map.of("en", "Far"))))
        .write(file);
    GeoipDatabase ours = new GeoipDatabase(file);
    try (DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build()) {
      for (String a :
          java.util.List.of(
              "192.0.2.1",
              "192.0.2.127",
              "192.0.2.128",
              "192.0.2.255",
              "198.51.100.9",
              "203.0.113.200",
              "2001:db8:1::1",
              "2001:db8:1:ffff::",
              "2001:db8:ffff::1",
              "192.0.3.1",
              "10.0.0.1",
              "2001:db8:2::1",
              "::1",
              "::c000:201")) {
        java.util.Optional<CityResponse> theirs = r.tryCity(ip(a));
        GeoipRecord mine = ours.lookup(ip(a));
        assertEquals(
            theirs.map(c -> c.getCity().getName()).orElse(null),
            mine == null ? null : mine.city.name,
            a);
        assertEquals(
            theirs.map(c -> c.getCountry().getIsoCode()).orElse(null),
            mine == null || mine.country == null ? null : mine.country.code,
            a);
      }
      // Looked up twice: the second answer is the cached record.
      assertTrue(ours.lookup(ip("192.0.2.1")) == ours.lookup(ip("192.0.2.77")));
    } finally {
      ours.close();
    }
  }

  @Test
  void asnDatabaseReadsBack() throws Exception {
    Path file = dir.resolve("GeoLite2-ASN.mmdb");
    GeoipFixtures.asnDb().write(file);
    try (DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build()) {
      AsnResponse a = r.asn(ip("192.0.2.1"));
      assertEquals(64496L, a.getAutonomousSystemNumber());
      assertEquals("Internet Systems Consortium", a.getAutonomousSystemOrganization());
      assertEquals(64498L, r.asn(ip("2001:db8:1::1")).getAutonomousSystemNumber());
    }
  }

  @Test
  void aLongerNetworkInsertedLaterOverridesTheShorterOne() throws Exception {
    Path file = dir.resolve("GeoIP2-Domain.mmdb");
    new MmdbWriter("GeoIP2-Domain")
        .put("10.0.0.0/8", java.util.Map.of("domain", "outer.example"))
        .put("10.1.0.0/16", java.util.Map.of("domain", "inner.example"))
        .write(file);
    try (DatabaseReader r = new DatabaseReader.Builder(file.toFile()).build()) {
      assertEquals("outer.example", r.domain(ip("10.0.0.1")).getDomain());
      assertEquals("inner.example", r.domain(ip("10.1.2.3")).getDomain());
      assertEquals("outer.example", r.domain(ip("10.255.0.1")).getDomain());
      assertTrue(r.tryDomain(ip("11.0.0.1")).isEmpty());
    }
  }
}
