package dev.vxdns.acl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The GeoIP2 databases of a {@code geoip-directory}, opened as BIND opens them (lib/dns/geoip2.c):
 * for each kind, the first of its file names that exists. Each is a {@link GeoipDatabase}:
 * memory-mapped, so a lookup reads memory (the OS pages the file in on first touch), with decoded
 * records cached. Thread-safe. A map is released when it is no longer referenced.
 */
final class GeoipDatabases {
  /** A database kind: BIND's name for it in {@code geoip db NAME}, its files, and its type. */
  enum Kind {
    COUNTRY("country", "Country", "GeoIP2-Country.mmdb", "GeoLite2-Country.mmdb"),
    CITY("city", "City", "GeoIP2-City.mmdb", "GeoLite2-City.mmdb"),
    ASNUM("asnum", "ASN", "GeoIP2-ASN.mmdb", "GeoLite2-ASN.mmdb"),
    ISP("isp", "ISP", "GeoIP2-ISP.mmdb"),
    DOMAIN("domain", "Domain", "GeoIP2-Domain.mmdb");

    final String bindName;

    /** What the metadata's database_type must contain (the geoip2 reader checks the same). */
    final String type;

    final List<String> files;

    Kind(String bindName, String type, String... files) {
      this.bindName = bindName;
      this.type = type;
      this.files = List.of(files);
    }

    static Kind byBindName(String name) {
      for (Kind k : values()) {
        if (k.bindName.equals(name.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      return null;
    }

    /** E.g. "GeoIP2-City.mmdb or GeoLite2-City.mmdb". */
    String fileNames() {
      return String.join(" or ", files);
    }
  }

  final Path directory;
  private final GeoipDatabase[] readers = new GeoipDatabase[Kind.values().length];
  private final Path[] paths = new Path[Kind.values().length];

  private GeoipDatabases(Path directory) {
    this.directory = directory;
  }

  static GeoipDatabases open(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("geoip-directory '" + directory + "' is not a directory");
    }
    GeoipDatabases dbs = new GeoipDatabases(directory);
    try {
      for (Kind k : Kind.values()) {
        for (String name : k.files) {
          Path file = directory.resolve(name);
          if (!Files.isRegularFile(file)) {
            continue;
          }
          GeoipDatabase reader;
          try {
            reader = new GeoipDatabase(file);
          } catch (IOException | RuntimeException e) {
            throw new IOException(
                "cannot open GeoIP2 database '" + file + "': " + e.getMessage(), e);
          }
          String type = reader.databaseType();
          if (type == null || !type.contains(k.type)) {
            reader.close();
            throw new IOException(
                "GeoIP2 database '"
                    + file
                    + "' has database type '"
                    + type
                    + "', not a "
                    + k.type
                    + " database");
          }
          dbs.readers[k.ordinal()] = reader;
          dbs.paths[k.ordinal()] = file;
          break;
        }
      }
    } catch (IOException e) {
      for (GeoipDatabase r : dbs.readers) {
        if (r != null) {
          r.close();
        }
      }
      throw e;
    }
    return dbs;
  }

  /** The reader of a kind, or null if its file is not there. */
  GeoipDatabase reader(Kind kind) {
    return readers[kind.ordinal()];
  }

  /** Closes every database file; lists compiled against them must not be evaluated afterwards. */
  void close() {
    for (GeoipDatabase reader : readers) {
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException e) {
          // Nothing is left to do with a database that failed to close; it is unmapped when
          // collected.
        }
      }
    }
  }

  /** The files that were opened. */
  List<Path> files() {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (p != null) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "geoip" + files();
  }
}
