package dev.vxdns.acl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A geoip-directory of tiny GeoIP2 databases written by {@link MmdbWriter}, laid out as MaxMind
 * lays its records out. The networks:
 *
 * <pre>
 * 192.0.2.0/25      US, WA Washington, Seattle, 98101, metro 819, America/Los_Angeles, NA; AS64496 Internet Systems Consortium
 * 192.0.2.128/25    US, CA California, San Francisco, 95062, metro 807, America/Los_Angeles, NA; AS64497 Example Transit
 * 198.51.100.0/24   JP, 13 Tokyo, Tokyo, 100-0001, Asia/Tokyo, AS Asia
 * 203.0.113.0/24    US, OK Oklahoma, Tulsa, 74103, America/Chicago, NA
 * 2001:db8:1::/48   DE, BE Berlin, Berlin, 10115, Europe/Berlin, EU Europe; AS64498 Example GmbH
 * 100.64.0.0/10     Canada: in the Country database only, so only "db country" finds it when a City database exists
 * ISP: 192.0.2.0/24 "Example ISP"; Domain: 192.0.2.0/24 "example.net"
 * </pre>
 */
final class GeoipFixtures {
  private GeoipFixtures() {}

  private static Map<String, Object> names(String en) {
    return Map.of("en", en, "de", en + " (de)");
  }

  private static Map<String, Object> country(String code, String name, long id) {
    return Map.of("geoname_id", id, "iso_code", code, "names", names(name));
  }

  private static Map<String, Object> continent(String code, String name) {
    return Map.of("code", code, "geoname_id", 6255149L, "names", names(name));
  }

  private static Map<String, Object> city(
      String countryCode,
      String countryName,
      String continentCode,
      String continentName,
      String regionCode,
      String regionName,
      String city,
      String postal,
      Integer metro,
      String tz) {
    Map<String, Object> location =
        metro == null
            ? Map.of("time_zone", tz, "latitude", 1.5, "longitude", 2.5, "accuracy_radius", 100)
            : Map.of(
                "time_zone",
                tz,
                "latitude",
                1.5,
                "longitude",
                2.5,
                "accuracy_radius",
                100,
                "metro_code",
                metro);
    return Map.of(
        "city", Map.of("geoname_id", 1000L, "names", names(city)),
        "continent", continent(continentCode, continentName),
        "country", country(countryCode, countryName, 2000L),
        "location", location,
        "postal", Map.of("code", postal),
        "subdivisions",
            List.of(
                Map.of("geoname_id", 3000L, "iso_code", regionCode, "names", names(regionName)),
                Map.of(
                    "geoname_id", 3001L, "iso_code", "XX", "names", names("Smaller Subdivision"))));
  }

  static MmdbWriter cityDb() {
    return new MmdbWriter("GeoIP2-City")
        .put(
            "192.0.2.0/25",
            city(
                "US",
                "United States",
                "NA",
                "North America",
                "WA",
                "Washington",
                "Seattle",
                "98101",
                819,
                "America/Los_Angeles"))
        .put(
            "192.0.2.128/25",
            city(
                "US",
                "United States",
                "NA",
                "North America",
                "CA",
                "California",
                "San Francisco",
                "95062",
                807,
                "America/Los_Angeles"))
        .put(
            "198.51.100.0/24",
            city(
                "JP",
                "Japan",
                "AS",
                "Asia",
                "13",
                "Tokyo",
                "Tokyo",
                "100-0001",
                null,
                "Asia/Tokyo"))
        .put(
            "203.0.113.0/24",
            city(
                "US",
                "United States",
                "NA",
                "North America",
                "OK",
                "Oklahoma",
                "Tulsa",
                "74103",
                null,
                "America/Chicago"))
        .put(
            "2001:db8:1::/48",
            city(
                "DE",
                "Germany",
                "EU",
                "Europe",
                "BE",
                "Berlin",
                "Berlin",
                "10115",
                null,
                "Europe/Berlin"));
  }

  static MmdbWriter countryDb() {
    return new MmdbWriter("GeoLite2-Country")
        .put(
            "192.0.2.0/24",
            Map.of(
                "continent",
                continent("NA", "North America"),
                "country",
                country("US", "United States", 2000L)))
        .put(
            "198.51.100.0/24",
            Map.of("continent", continent("AS", "Asia"), "country", country("JP", "Japan", 2001L)))
        .put(
            "203.0.113.0/24",
            Map.of(
                "continent",
                continent("NA", "North America"),
                "country",
                country("US", "United States", 2000L)))
        .put(
            "100.64.0.0/10",
            Map.of(
                "continent",
                continent("NA", "North America"),
                "country",
                country("CA", "Canada", 2002L)))
        .put(
            "2001:db8:1::/48",
            Map.of(
                "continent",
                continent("EU", "Europe"),
                "country",
                country("DE", "Germany", 2003L)));
  }

  static MmdbWriter asnDb() {
    return new MmdbWriter("GeoLite2-ASN")
        .put(
            "192.0.2.0/25",
            Map.of(
                "autonomous_system_number",
                64496L,
                "autonomous_system_organization",
                "Internet Systems Consortium"))
        .put(
            "192.0.2.128/25",
            Map.of(
                "autonomous_system_number",
                64497L,
                "autonomous_system_organization",
                "Example Transit"))
        .put(
            "2001:db8:1::/48",
            Map.of(
                "autonomous_system_number",
                64498L,
                "autonomous_system_organization",
                "Example GmbH"));
  }

  static MmdbWriter ispDb() {
    return new MmdbWriter("GeoIP2-ISP")
        .put(
            "192.0.2.0/24",
            Map.of(
                "autonomous_system_number",
                64496L,
                "isp",
                "Example ISP",
                "organization",
                "Example Org"));
  }

  static MmdbWriter domainDb() {
    return new MmdbWriter("GeoIP2-Domain").put("192.0.2.0/24", Map.of("domain", "example.net"));
  }

  /** A directory with all five databases, under BIND's file names. */
  static Path fullDirectory(Path dir) {
    try {
      cityDb().write(dir.resolve("GeoIP2-City.mmdb"));
      countryDb().write(dir.resolve("GeoLite2-Country.mmdb"));
      asnDb().write(dir.resolve("GeoLite2-ASN.mmdb"));
      ispDb().write(dir.resolve("GeoIP2-ISP.mmdb"));
      domainDb().write(dir.resolve("GeoIP2-Domain.mmdb"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory with only the Country database. */
  static Path countryOnlyDirectory(Path dir) {
    try {
      Files.createDirectories(dir);
      countryDb().write(dir.resolve("GeoLite2-Country.mmdb"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
