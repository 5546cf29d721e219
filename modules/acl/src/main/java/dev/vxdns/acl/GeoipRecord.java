package dev.vxdns.acl;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import java.util.ArrayList;
import java.util.Map;

/**
 * The fields of a GeoIP2 record that {@code geoip} elements look at, in any of the five database
 * kinds (a key a database does not have is null). Decoded by MaxMind's reader through the annotated
 * constructors, which skip every other key, and cached by the reader. Public only because the
 * reader instantiates it reflectively; not part of the API.
 */
public final class GeoipRecord {
  final Named country;
  final Named continent;
  final Named subdivision;
  final Named city;
  final Named postal;
  final String timeZone;
  final Integer metroCode;
  final Long asNumber;
  final String asOrganization;
  final String isp;
  final String domain;

  /** For the reader only. */
  @MaxMindDbConstructor
  public GeoipRecord(
      @MaxMindDbParameter(name = "country") Named country,
      @MaxMindDbParameter(name = "continent") Named continent,
      @MaxMindDbParameter(name = "subdivisions") ArrayList<Named> subdivisions,
      @MaxMindDbParameter(name = "city") Named city,
      @MaxMindDbParameter(name = "postal") Named postal,
      @MaxMindDbParameter(name = "location") Location location,
      @MaxMindDbParameter(name = "autonomous_system_number") Long asNumber,
      @MaxMindDbParameter(name = "autonomous_system_organization") String asOrganization,
      @MaxMindDbParameter(name = "isp") String isp,
      @MaxMindDbParameter(name = "domain") String domain) {
    this.country = country;
    this.continent = continent;
    // BIND uses subdivisions[0], the largest (e.g. the US state).
    this.subdivision = subdivisions == null || subdivisions.isEmpty() ? null : subdivisions.get(0);
    this.city = city;
    this.postal = postal;
    this.timeZone = location == null ? null : location.timeZone;
    this.metroCode = location == null ? null : location.metroCode;
    this.asNumber = asNumber;
    this.asOrganization = asOrganization;
    this.isp = isp;
    this.domain = domain;
  }

  /** A country, continent, subdivision, city or postal record: its code and English name. */
  public static final class Named {
    /** {@code iso_code} (country, subdivision), {@code code} (continent, postal). */
    final String code;

    final String name;

    /** For the reader only. */
    @MaxMindDbConstructor
    public Named(
        @MaxMindDbParameter(name = "iso_code") String isoCode,
        @MaxMindDbParameter(name = "code") String code,
        @MaxMindDbParameter(name = "names") Map<String, String> names) {
      this.code = isoCode != null ? isoCode : code;
      this.name = names == null ? null : names.get("en");
    }
  }

  /** The location record: time zone and metro code. */
  public static final class Location {
    final String timeZone;
    final Integer metroCode;

    /** For the reader only. */
    @MaxMindDbConstructor
    public Location(
        @MaxMindDbParameter(name = "time_zone") String timeZone,
        @MaxMindDbParameter(name = "metro_code") Integer metroCode) {
      this.timeZone = timeZone;
      this.metroCode = metroCode;
    }
  }
}
