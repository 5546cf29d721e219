package dev.vxdns.verticles.node;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from {@code vxdns-version.properties} (filled in by Maven). */
final class Version {
  static final String VERSION = read();

  private Version() {}

  private static String read() {
    try (InputStream in =
        Version.class.getClassLoader().getResourceAsStream("vxdns-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
