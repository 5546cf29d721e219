package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code geoip [db DB] FIELD VALUE} against the tiny databases of {@link GeoipFixtures}. */
class GeoipElementTest {
  @TempDir static Path tmp;

  static AclEnvironment full;
  static AclEnvironment countryOnly;

  @BeforeAll
  static void databases() throws IOException {
    full =
        Fixtures.ENV.withGeoip(
            GeoipFixtures.fullDirectory(Files.createDirectory(tmp.resolve("full"))));
    countryOnly =
        Fixtures.ENV.withGeoip(GeoipFixtures.countryOnlyDirectory(tmp.resolve("country-only")));
  }

  private static String decide(AclEnvironment env, String list, String address)
      throws AclException {
    return AddressMatchList.compile(Json.list(list), Map.of("us", List.of("geoip country US")), env)
        .evaluate(MatchContext.of(ip(address)))
        .toString();
  }

  private static Arguments t(String list, String address, String expected) {
    return Arguments.of(list, address, expected);
  }

  static Stream<Arguments> fullDatabases() {
    return Stream.of(
        // The ARM's examples.
        t("['geoip country US']", "192.0.2.1", "allowed by 'geoip country US'"),
        t("['geoip country US']", "198.51.100.1", "no match"),
        t("['geoip country JP']", "198.51.100.1", "allowed by 'geoip country JP'"),
        t(
            "['geoip db country country Canada']",
            "100.64.1.1",
            "allowed by 'geoip db country country Canada'"),
        t("['geoip region WA']", "192.0.2.1", "allowed by 'geoip region WA'"),
        t("['geoip region WA']", "192.0.2.200", "no match"),
        t(
            "['geoip city \"San Francisco\"']",
            "192.0.2.200",
            "allowed by 'geoip city \"San Francisco\"'"),
        t("['geoip region Oklahoma']", "203.0.113.9", "allowed by 'geoip region Oklahoma'"),
        t("['geoip postal 95062']", "192.0.2.200", "allowed by 'geoip postal 95062'"),
        t(
            "['geoip tz \"America/Los_Angeles\"']",
            "192.0.2.1",
            "allowed by 'geoip tz \"America/Los_Angeles\"'"),
        t(
            "['geoip org \"Internet Systems Consortium\"']",
            "192.0.2.1",
            "allowed by 'geoip org \"Internet Systems Consortium\"'"),
        t("['geoip org \"Internet Systems Consortium\"']", "192.0.2.200", "no match"),
        // Country: two letters, three letters, full name; case-insensitive.
        t("['geoip country us']", "192.0.2.1", "allowed by 'geoip country us'"),
        t("['geoip country USA']", "192.0.2.1", "allowed by 'geoip country USA'"),
        t("['geoip country jpn']", "198.51.100.1", "allowed by 'geoip country jpn'"),
        t("['geoip country DEU']", "2001:db8:1::1", "allowed by 'geoip country DEU'"),
        t(
            "['geoip country \"United States\"']",
            "203.0.113.1",
            "allowed by 'geoip country \"United States\"'"),
        t(
            "['geoip country united states']",
            "203.0.113.1",
            "allowed by 'geoip country united states'"),
        t("['geoip country Germany']", "192.0.2.1", "no match"),
        // Country and continent come from the City database first, unless db country forces it.
        t("['geoip country CA']", "100.64.1.1", "no match"),
        t("['geoip db city country CA']", "100.64.1.1", "no match"),
        t(
            "['geoip db country country CA']",
            "100.64.1.1",
            "allowed by 'geoip db country country CA'"),
        t(
            "['geoip db country continent NA']",
            "100.64.1.1",
            "allowed by 'geoip db country continent NA'"),
        t("['geoip continent EU']", "2001:db8:1::99", "allowed by 'geoip continent EU'"),
        t("['geoip continent Asia']", "198.51.100.1", "allowed by 'geoip continent Asia'"),
        t("['geoip continent \"North America\"']", "198.51.100.1", "no match"),
        // Region: two letters are the code of the first subdivision, else its name.
        t("['geoip region CA']", "192.0.2.200", "allowed by 'geoip region CA'"),
        t(
            "['geoip subdivision California']",
            "192.0.2.200",
            "allowed by 'geoip subdivision California'"),
        t("['geoip region XX']", "192.0.2.200", "no match"),
        t("['geoip region Tokyo']", "198.51.100.1", "allowed by 'geoip region Tokyo'"),
        t("['geoip region 13']", "198.51.100.1", "allowed by 'geoip region 13'"),
        // City database fields.
        t("['geoip city Seattle']", "192.0.2.1", "allowed by 'geoip city Seattle'"),
        t("['geoip city san francisco']", "192.0.2.200", "allowed by 'geoip city san francisco'"),
        t("['geoip metro 807']", "192.0.2.200", "allowed by 'geoip metro 807'"),
        t("['geoip metro 807']", "192.0.2.1", "no match"),
        t("['geoip metrocode 819']", "192.0.2.1", "allowed by 'geoip metrocode 819'"),
        t("['geoip metro 807']", "198.51.100.1", "no match"),
        t("['geoip postal 100-0001']", "198.51.100.1", "allowed by 'geoip postal 100-0001'"),
        t(
            "['geoip timezone Europe/Berlin']",
            "2001:db8:1::1",
            "allowed by 'geoip timezone Europe/Berlin'"),
        t(
            "['geoip db city city Berlin']",
            "2001:db8:1::1",
            "allowed by 'geoip db city city Berlin'"),
        // ASN, ISP, Domain databases.
        t("['geoip asnum AS64496']", "192.0.2.1", "allowed by 'geoip asnum AS64496'"),
        t("['geoip asnum 64496']", "192.0.2.1", "allowed by 'geoip asnum 64496'"),
        t("['geoip asnum as64497']", "192.0.2.200", "allowed by 'geoip asnum as64497'"),
        t("['geoip asnum 64496']", "192.0.2.200", "no match"),
        t(
            "['geoip db asnum asnum 64498']",
            "2001:db8:1::1",
            "allowed by 'geoip db asnum asnum 64498'"),
        t("['geoip isp \"Example ISP\"']", "192.0.2.200", "allowed by 'geoip isp \"Example ISP\"'"),
        t("['geoip isp \"Example ISP\"']", "198.51.100.1", "no match"),
        t("['geoip domain example.net']", "192.0.2.5", "allowed by 'geoip domain example.net'"),
        t("['geoip domain example.org']", "192.0.2.5", "no match"),
        // Addresses no database covers, and a mapped client (looked up as IPv4).
        t("['geoip country US']", "192.0.3.1", "no match"),
        t("['geoip country US']", "2001:db8:2::1", "no match"),
        t("['geoip country JP']", "::ffff:198.51.100.1", "allowed by 'geoip country JP'"),
        // Negation and first match.
        t("['!geoip country US', 'any']", "192.0.2.1", "denied by '!geoip country US'"),
        t("['!geoip country US', 'any']", "198.51.100.1", "allowed by 'any'"),
        t("['192.0.2.0/24', '!geoip country US']", "192.0.2.1", "allowed by '192.0.2.0/24'"),
        t("['!192.0.2.0/25', 'geoip country US']", "192.0.2.1", "denied by '!192.0.2.0/25'"),
        t("['!192.0.2.0/25', 'geoip country US']", "192.0.2.200", "allowed by 'geoip country US'"),
        // Inside nested lists and named ACLs: a match allows inside, the outer '!' decides.
        t(
            "[['geoip country JP']]",
            "198.51.100.1",
            "allowed by '{ geoip country JP; }' -> 'geoip country JP'"),
        t(
            "[{'!': ['geoip country JP']}, 'any']",
            "198.51.100.1",
            "denied by '!{ geoip country JP; }' -> 'geoip country JP'"),
        t("[{'!': ['geoip country JP']}, 'any']", "192.0.2.1", "allowed by 'any'"),
        t("[{'!': ['!geoip country JP', 'any']}, 'key k']", "198.51.100.1", "no match"),
        t(
            "[{'!': ['!geoip country JP', 'any']}, 'key k']",
            "192.0.2.1",
            "denied by '!{ !geoip country JP; any; }' -> 'any'"),
        t("['us']", "203.0.113.1", "allowed by 'us' -> 'geoip country US'"),
        t("['!us', 'any']", "203.0.113.1", "denied by '!us' -> 'geoip country US'"),
        t("['!us', 'any']", "2001:db8:1::1", "allowed by 'any'"));
  }

  @ParameterizedTest(name = "{0} from {1}: {2}")
  @MethodSource("fullDatabases")
  void matchesAsBindDoes(String list, String address, String expected) throws AclException {
    assertEquals(expected, decide(full, list, address));
  }

  static Stream<Arguments> countryDatabaseOnly() {
    return Stream.of(
        // Without a City database, country and continent fall back to the Country database.
        t("['geoip country CA']", "100.64.1.1", "allowed by 'geoip country CA'"),
        t("['geoip country Canada']", "100.64.1.1", "allowed by 'geoip country Canada'"),
        t("['geoip continent NA']", "100.64.1.1", "allowed by 'geoip continent NA'"),
        t("['geoip continent Europe']", "2001:db8:1::1", "allowed by 'geoip continent Europe'"),
        t("['geoip country US']", "100.64.1.1", "no match"));
  }

  @ParameterizedTest(name = "{0} from {1}: {2}")
  @MethodSource("countryDatabaseOnly")
  void countryDatabaseAnswersWhenThereIsNoCityDatabase(String list, String address, String expected)
      throws AclException {
    assertEquals(expected, decide(countryOnly, list, address));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "geoip",
            "element 'geoip': 'geoip' needs a field and a value, e.g. \"geoip country US\""
                + " or \"geoip db country country Canada\""),
        Arguments.of(
            "geoip country", "element 'geoip country': geoip country needs a value to search for"),
        Arguments.of(
            "geoip country \"\"",
            "element 'geoip country \"\"': geoip country needs a value to search for"),
        Arguments.of(
            "geoip db",
            "element 'geoip db': 'geoip' needs a field and a value, e.g. \"geoip country US\""
                + " or \"geoip db country country Canada\""),
        Arguments.of(
            "geoip db country",
            "element 'geoip db country': 'geoip' needs a field and a value,"
                + " e.g. \"geoip country US\" or \"geoip db country country Canada\""),
        Arguments.of(
            "geoip db netspeed country US",
            "element 'geoip db netspeed country US': unknown geoip database 'netspeed'"
                + " (expected country, city, asnum, isp or domain)"),
        Arguments.of(
            "geoip planet Earth",
            "element 'geoip planet Earth': unknown geoip field 'planet'"
                + " (expected one of country, region, city, continent, postal, metro, tz, isp, asnum, org, domain)"),
        Arguments.of(
            "geoip area 408",
            "element 'geoip area 408': geoip field 'area' is not available in"
                + " GeoIP2 databases (it existed only in legacy GeoIP)"),
        Arguments.of(
            "geoip netspeed 1",
            "element 'geoip netspeed 1': geoip field 'netspeed' is not available in"
                + " GeoIP2 databases (it existed only in legacy GeoIP)"),
        Arguments.of(
            "geoip country XYZ",
            "element 'geoip country XYZ': unknown ISO 3166-1 three-letter"
                + " country code 'XYZ' (a full country name is longer)"),
        Arguments.of(
            "geoip asnum ASX",
            "element 'geoip asnum ASX': invalid asnum 'ASX'"
                + " (expected ASNNNN or NNNN, e.g. AS64496)"),
        Arguments.of(
            "geoip asnum 4294967296",
            "element 'geoip asnum 4294967296': invalid asnum '4294967296'"
                + " (expected ASNNNN or NNNN, e.g. AS64496)"),
        Arguments.of(
            "geoip metro abc",
            "element 'geoip metro abc': invalid metro code 'abc' (expected a number)"),
        Arguments.of(
            "geoip city \"San Francisco",
            "element 'geoip city \"San Francisco': a geoip value is"
                + " either quoted as a whole (\"San Francisco\") or not at all"),
        Arguments.of(
            "geoip db isp country US",
            "element 'geoip db isp country US': geoip database 'isp'"
                + " cannot answer country (use db city or db country)"),
        Arguments.of(
            "geoip db country city Tokyo",
            "element 'geoip db country city Tokyo': geoip database"
                + " 'country' cannot answer city (only db city can)"),
        Arguments.of(
            "!geoip db city org x",
            "element '!geoip db city org x': geoip database 'city'"
                + " cannot answer org (only db asnum can)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedElementsAreRejectedNamingTheElement(String element, String message) {
    AclException e =
        assertThrows(
            AclException.class, () -> AddressMatchList.compile(List.of(element), Map.of(), full));
    assertEquals(message, e.getMessage());
    assertEquals(element, e.element().orElseThrow());
  }

  @Test
  void aMissingDatabaseIsACompileErrorNamingIt() {
    Path dir = tmp.resolve("country-only");
    AclException e =
        assertThrows(
            AclException.class,
            () ->
                AddressMatchList.compile(
                    List.of("any", "geoip city Tokyo"), Map.of(), countryOnly));
    assertEquals(
        "element 'geoip city Tokyo': no GeoIP2 City database (GeoIP2-City.mmdb or GeoLite2-City.mmdb)"
            + " in geoip-directory '"
            + dir
            + "' to answer geoip city",
        e.getMessage());
    e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(List.of("geoip asnum 1"), Map.of(), countryOnly));
    assertTrue(
        e.getMessage().contains("no GeoIP2 ASN database (GeoIP2-ASN.mmdb or GeoLite2-ASN.mmdb)"),
        e.getMessage());
    e =
        assertThrows(
            AclException.class,
            () ->
                AddressMatchList.compile(
                    List.of("geoip db city country US"), Map.of(), countryOnly));
    assertTrue(e.getMessage().contains("no GeoIP2 City database"), e.getMessage());
    e =
        assertThrows(
            AclException.class,
            () ->
                AddressMatchList.compileNamed(Map.of("geo", List.of("geoip isp x")), countryOnly));
    assertEquals(
        "acl 'geo': element 'geoip isp x': no GeoIP2 ISP database (GeoIP2-ISP.mmdb) in geoip-directory '"
            + dir
            + "' to answer geoip isp",
        e.getMessage());
  }

  @Test
  void withoutDatabasesGeoipElementsDoNotCompile() {
    AclException e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(List.of("geoip country US"), Map.of(), Fixtures.ENV));
    assertEquals(
        "element 'geoip country US': no GeoIP2 databases are configured (set geoip-directory),"
            + " so geoip elements cannot be used",
        e.getMessage());
  }

  @Test
  void environmentListsTheFilesItOpened() throws Exception {
    assertEquals(
        List.of(
            "GeoLite2-Country.mmdb",
            "GeoIP2-City.mmdb",
            "GeoLite2-ASN.mmdb",
            "GeoIP2-ISP.mmdb",
            "GeoIP2-Domain.mmdb"),
        full.geoipFiles().stream().map(p -> p.getFileName().toString()).toList());
    assertEquals(List.of(), Fixtures.ENV.geoipFiles());
    assertEquals(Fixtures.ENV.localnets(), full.localnets());
    // The GeoIP2 file wins over the GeoLite2 one, as in BIND.
    Path both = Files.createDirectory(tmp.resolve("both"));
    GeoipFixtures.countryDb().write(both.resolve("GeoLite2-Country.mmdb"));
    new MmdbWriter("GeoIP2-Country")
        .put("10.0.0.0/8", Map.of("country", Map.of("iso_code", "FR")))
        .write(both.resolve("GeoIP2-Country.mmdb"));
    AclEnvironment env = AclEnvironment.empty().withGeoip(both);
    assertEquals(List.of(both.resolve("GeoIP2-Country.mmdb")), env.geoipFiles());
    assertEquals(
        "allowed by 'geoip country FR'",
        AddressMatchList.compile(List.of("geoip country FR"), Map.of(), env)
            .evaluate(MatchContext.of(ip("10.1.1.1")))
            .toString());
  }

  @Test
  void badDirectoriesAndFilesAreIoErrors() throws IOException {
    IOException e =
        assertThrows(
            IOException.class, () -> AclEnvironment.empty().withGeoip(tmp.resolve("nope")));
    assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    Path junk = Files.createDirectory(tmp.resolve("junk"));
    Files.writeString(junk.resolve("GeoIP2-City.mmdb"), "not a database");
    e = assertThrows(IOException.class, () -> AclEnvironment.empty().withGeoip(junk));
    assertTrue(
        e.getMessage()
            .startsWith("cannot open GeoIP2 database '" + junk.resolve("GeoIP2-City.mmdb")),
        e.getMessage());
    Path wrong = Files.createDirectory(tmp.resolve("wrong"));
    GeoipFixtures.asnDb().write(wrong.resolve("GeoIP2-City.mmdb"));
    e = assertThrows(IOException.class, () -> AclEnvironment.empty().withGeoip(wrong));
    assertTrue(
        e.getMessage().endsWith("has database type 'GeoLite2-ASN', not a City database"),
        e.getMessage());
  }
}
