package dev.vxdns.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version, from {@code vxdns-version.properties} (filled in by Maven): what {@code
 * vxdns --version} and {@code vxdns dig} print, and {@code version.bind} answers by default.
 */
public final class BuildVersion {
  public static final String VERSION = read();

  private BuildVersion() {}

  private static String read() {
    try (InputStream in =
        BuildVersion.class.getClassLoader().getResourceAsStream("vxdns-version.properties")) {
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
