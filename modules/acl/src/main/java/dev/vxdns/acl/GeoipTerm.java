package dev.vxdns.acl;

import dev.vxdns.acl.GeoipDatabases.Kind;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * BIND's {@code geoip [db DB] FIELD VALUE} (ARM 7.1; BIND 9's GeoIP2 code, lib/isccfg/aclconf.c and
 * lib/dns/geoip2.c): matches when the GeoIP2 record of the client address has VALUE in FIELD.
 * Strings compare case-insensitively, as in BIND.
 *
 * <ul>
 *   <li>{@code country}: two letters are the ISO 3166-1 code ({@code country.iso_code}); three
 *       letters are an ISO 3166-1 alpha-3 code, turned into the alpha-2 code here (GeoIP2 has no
 *       alpha-3 codes; BIND 9 rejects them); anything else is the English name ({@code
 *       country.names.en}).
 *   <li>{@code continent}: two letters are the code ({@code continent.code}, e.g. EU), else the
 *       English name.
 *   <li>{@code region} (alias {@code subdivision}): two letters are the code of the first (largest)
 *       subdivision ({@code subdivisions[0].iso_code}, e.g. WA), else its English name.
 *   <li>{@code city}, {@code postal} ({@code postalcode}), {@code metro} ({@code metrocode}, a
 *       number), {@code tz} ({@code timezone}, {@code location.time_zone}): the City database.
 *   <li>{@code isp}: the ISP database; {@code asnum} ({@code ASNNNN} or {@code NNNN}) and {@code
 *       org} ({@code autonomous_system_organization}): the ASN database; {@code domain}: the Domain
 *       database.
 *   <li>{@code area} (area code) and {@code netspeed} existed only in legacy GeoIP databases; like
 *       BIND 9, vxdns rejects them.
 * </ul>
 *
 * Country and continent come from the City database if it is installed, else from the Country
 * database; {@code db city} or {@code db country} forces one. Every other field has one database,
 * and a {@code db} naming another is an error (BIND warns and ignores it).
 *
 * <p>The lookup is on the client address: the ARM's characteristics are the client address, the key
 * and ECS, and ECS is matched only by {@code ecs} elements (BIND 9.11's {@code geoip-use-ecs},
 * which looked geoip up on the ECS address, is obsolete). An address the database does not cover, a
 * record without the field, or a lookup error is no match.
 */
final class GeoipTerm extends Term {
  /** The search types, each with the database(s) that can answer it. */
  enum Field {
    COUNTRY_CODE,
    COUNTRY_NAME,
    CONTINENT_CODE,
    CONTINENT_NAME,
    REGION_CODE,
    REGION_NAME,
    CITY,
    POSTAL,
    METRO,
    TZ,
    ISP,
    ASNUM,
    ORG,
    DOMAIN;

    /** Country and continent can be answered by the City or the Country database. */
    boolean eitherCityOrCountry() {
      return this == COUNTRY_CODE
          || this == COUNTRY_NAME
          || this == CONTINENT_CODE
          || this == CONTINENT_NAME;
    }

    Kind kind() {
      return switch (this) {
        case ISP -> Kind.ISP;
        case ASNUM, ORG -> Kind.ASNUM;
        case DOMAIN -> Kind.DOMAIN;
        default -> Kind.CITY;
      };
    }
  }

  private static final String USAGE =
      "'geoip' needs a field and a value, e.g. \"geoip country US\""
          + " or \"geoip db country country Canada\"";
  private static final String FIELDS =
      "country, region, city, continent, postal, metro, tz, isp, asnum, org, domain";

  private final Field field;
  private final GeoipDatabase reader;

  /** The value for string fields; null for metro and asnum. */
  private final String value;

  /** The value for metro and asnum. */
  private final long number;

  private GeoipTerm(
      int index,
      boolean negated,
      String text,
      Field field,
      GeoipDatabase reader,
      String value,
      long number) {
    super(index, negated, text);
    this.field = field;
    this.reader = reader;
    this.value = value;
    this.number = number;
  }

  /** {@code rest} is what follows the keyword {@code geoip}. */
  static GeoipTerm parse(
      int index, boolean negated, String text, String rest, String acl, AclEnvironment env)
      throws AclException {
    String[] first = split(rest);
    if (first == null) {
      throw AclException.inElement(acl, text, USAGE);
    }
    Kind db = null;
    String dbName = null;
    if (first[0].equalsIgnoreCase("db")) {
      String[] name = split(first[1]);
      if (name == null) {
        throw AclException.inElement(acl, text, USAGE);
      }
      dbName = name[0];
      db = Kind.byBindName(dbName);
      if (db == null) {
        throw AclException.inElement(
            acl,
            text,
            "unknown geoip database '"
                + dbName
                + "' (expected country, city, asnum, isp or domain)");
      }
      first = split(name[1]);
      if (first == null) {
        throw AclException.inElement(acl, text, USAGE);
      }
    }
    String fieldName = first[0].toLowerCase(Locale.ROOT);
    String search = unquote(first[1], acl, text);
    if (search.isEmpty()) {
      throw AclException.inElement(
          acl, text, "geoip " + fieldName + " needs a value to search for");
    }
    Field field;
    long number = 0;
    switch (fieldName) {
      case "country" -> {
        if (search.length() == 2) {
          field = Field.COUNTRY_CODE;
        } else if (search.length() == 3) {
          String alpha2 = Iso3.TO_ALPHA2.get(search.toUpperCase(Locale.ROOT));
          if (alpha2 == null) {
            throw AclException.inElement(
                acl,
                text,
                "unknown ISO 3166-1 three-letter country code '"
                    + search
                    + "' (a full country name is longer)");
          }
          field = Field.COUNTRY_CODE;
          search = alpha2;
        } else {
          field = Field.COUNTRY_NAME;
        }
      }
      case "continent" ->
          field = search.length() == 2 ? Field.CONTINENT_CODE : Field.CONTINENT_NAME;
      case "region", "subdivision" ->
          field = search.length() == 2 ? Field.REGION_CODE : Field.REGION_NAME;
      case "city" -> field = Field.CITY;
      case "postal", "postalcode" -> field = Field.POSTAL;
      case "tz", "timezone" -> field = Field.TZ;
      case "isp" -> field = Field.ISP;
      case "org" -> field = Field.ORG;
      case "domain" -> field = Field.DOMAIN;
      case "metro", "metrocode" -> {
        field = Field.METRO;
        number = parseNumber(search, false, acl, text);
      }
      case "asnum" -> {
        field = Field.ASNUM;
        number = parseNumber(search, true, acl, text);
      }
      case "area", "areacode", "netspeed" ->
          throw AclException.inElement(
              acl,
              text,
              "geoip field '"
                  + fieldName
                  + "' is not available in GeoIP2 databases (it existed only in legacy GeoIP)");
      default ->
          throw AclException.inElement(
              acl, text, "unknown geoip field '" + first[0] + "' (expected one of " + FIELDS + ")");
    }
    Kind kind = chooseDatabase(field, db, dbName, fieldName, acl, text);
    GeoipDatabases dbs = env.geoip();
    if (dbs == null) {
      throw AclException.inElement(
          acl,
          text,
          "no GeoIP2 databases are configured (set geoip-directory), so geoip elements cannot be used");
    }
    GeoipDatabase reader = dbs.reader(kind);
    if (reader == null && db == null && field.eitherCityOrCountry()) {
      kind = Kind.COUNTRY;
      reader = dbs.reader(kind);
    }
    if (reader == null) {
      String which =
          db == null && field.eitherCityOrCountry()
              ? "GeoIP2 City or Country database ("
                  + Kind.CITY.fileNames()
                  + ", "
                  + Kind.COUNTRY.fileNames()
                  + ")"
              : "GeoIP2 " + kind.type + " database (" + kind.fileNames() + ")";
      throw AclException.inElement(
          acl,
          text,
          "no "
              + which
              + " in geoip-directory '"
              + dbs.directory
              + "' to answer geoip "
              + fieldName);
    }
    boolean stringField = field != Field.METRO && field != Field.ASNUM;
    return new GeoipTerm(index, negated, text, field, reader, stringField ? search : null, number);
  }

  /** The database the field is looked up in: the City one first for country and continent. */
  private static Kind chooseDatabase(
      Field field, Kind db, String dbName, String fieldName, String acl, String text)
      throws AclException {
    if (field.eitherCityOrCountry()) {
      if (db != null && db != Kind.CITY && db != Kind.COUNTRY) {
        throw AclException.inElement(
            acl,
            text,
            "geoip database '"
                + dbName
                + "' cannot answer "
                + fieldName
                + " (use db city or db country)");
      }
      return db == null ? Kind.CITY : db;
    }
    if (db != null && db != field.kind()) {
      throw AclException.inElement(
          acl,
          text,
          "geoip database '"
              + dbName
              + "' cannot answer "
              + fieldName
              + " (only db "
              + field.kind().bindName
              + " can)");
    }
    return field.kind();
  }

  /** {word, rest} of {@code s} (stripped), or null if it is empty. */
  private static String[] split(String s) {
    String t = s.strip();
    if (t.isEmpty()) {
      return null;
    }
    int i = 0;
    while (i < t.length() && !Character.isWhitespace(t.charAt(i))) {
      i++;
    }
    return new String[] {t.substring(0, i), t.substring(i).strip()};
  }

  /** A value may be quoted as in named.conf: {@code geoip city "San Francisco"}. */
  private static String unquote(String s, String acl, String text) throws AclException {
    if (s.indexOf('"') < 0) {
      return s;
    }
    if (s.length() < 2
        || s.charAt(0) != '"'
        || s.charAt(s.length() - 1) != '"'
        || s.substring(1, s.length() - 1).indexOf('"') >= 0) {
      throw AclException.inElement(
          acl,
          text,
          "a geoip value is either quoted as a whole (\"San Francisco\")" + " or not at all");
    }
    return s.substring(1, s.length() - 1).strip();
  }

  private static long parseNumber(String s, boolean asnum, String acl, String text)
      throws AclException {
    String digits = asnum && s.regionMatches(true, 0, "AS", 0, 2) ? s.substring(2) : s;
    if (digits.isEmpty()
        || digits.length() > 10
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')
        || Long.parseLong(digits) > 0xffffffffL) {
      throw AclException.inElement(
          acl,
          text,
          asnum
              ? "invalid asnum '" + s + "' (expected ASNNNN or NNNN, e.g. AS64496)"
              : "invalid metro code '" + s + "' (expected a number)");
    }
    return Long.parseLong(digits);
  }

  @Override
  AclDecision decide(MatchContext context) {
    try {
      // The client address as given: an IPv4 client (4 bytes) is searched in the IPv4 subtree.
      return matches(context.address()) ? decision : null;
    } catch (Exception e) {
      // A damaged database (InvalidDatabaseException) must not break request handling: no match.
      return null;
    }
  }

  private boolean matches(InetAddress address) throws Exception {
    GeoipRecord r = reader.lookup(address);
    if (r == null) {
      return false;
    }
    return switch (field) {
      case COUNTRY_CODE -> r.country != null && same(r.country.code);
      case COUNTRY_NAME -> r.country != null && same(r.country.name);
      case CONTINENT_CODE -> r.continent != null && same(r.continent.code);
      case CONTINENT_NAME -> r.continent != null && same(r.continent.name);
      case REGION_CODE -> r.subdivision != null && same(r.subdivision.code);
      case REGION_NAME -> r.subdivision != null && same(r.subdivision.name);
      case CITY -> r.city != null && same(r.city.name);
      case POSTAL -> r.postal != null && same(r.postal.code);
      case TZ -> same(r.timeZone);
      case METRO -> r.metroCode != null && r.metroCode == number;
      case ASNUM -> r.asNumber != null && r.asNumber == number;
      case ORG -> same(r.asOrganization);
      case ISP -> same(r.isp);
      case DOMAIN -> same(r.domain);
    };
  }

  private boolean same(String found) {
    return found != null && found.equalsIgnoreCase(value);
  }

  @Override
  public String toString() {
    return text;
  }

  /** ISO 3166-1 alpha-3 to alpha-2, from the JDK's own table. */
  private static final class Iso3 {
    static final Map<String, String> TO_ALPHA2 = build();

    private static Map<String, String> build() {
      Map<String, String> m = new HashMap<>();
      for (String alpha2 : Locale.getISOCountries()) {
        try {
          m.put(new Locale("", alpha2).getISO3Country().toUpperCase(Locale.ROOT), alpha2);
        } catch (java.util.MissingResourceException e) {
          // No alpha-3 code known for this one: skip it.
        }
      }
      return Map.copyOf(m);
    }
  }
}
