package dev.vxdns.verticles.extension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

/**
 * One file of the extensions directory as a scan saw it: its stage name and what tells a change
 * (modification time and size).
 */
record ExtensionFile(Path path, String name, Kind kind, long modifiedNanos, long size) {
  enum Kind {
    GROOVY,
    JAR
  }

  /** The file as an extension, or null when it is not one (another suffix, a bad name). */
  static ExtensionFile of(Path path) throws IOException {
    String fileName = path.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    if (dot <= 0) {
      return null;
    }
    String suffix = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    Kind kind =
        switch (suffix) {
          case "groovy" -> Kind.GROOVY;
          case "jar" -> Kind.JAR;
          default -> null;
        };
    String name = fileName.substring(0, dot);
    if (kind == null || !ExtensionSettings.NAME.matcher(name).matches()) {
      return null;
    }
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      return null;
    }
    return new ExtensionFile(
        path,
        name,
        kind,
        attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
        attributes.size());
  }

  String address() {
    return ExtensionSettings.ADDRESS_PREFIX + name;
  }

  /** True when {@code other} is the same file unchanged. */
  boolean sameVersion(ExtensionFile other) {
    return other != null
        && path.equals(other.path)
        && modifiedNanos == other.modifiedNanos
        && size == other.size;
  }
}
