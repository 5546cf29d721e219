package dev.vxdns.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves {@code "include": ["keys/*.json"]}: files holding {@code key} definitions, so secrets
 * can live apart from the main config and be readable by the server's user only. Runs once in the
 * launcher, off the event loops; verticles get the merged document and never read these files.
 */
public final class Includes {
  public static final String KEY = "include";
  private static final Set<String> INCLUDED_TOP_LEVEL = Set.of("key");

  /** The merged document (without {@code include}) and warnings for the operator. */
  public record Resolved(JsonObject config, List<String> warnings) {
    public Resolved {
      warnings = List.copyOf(warnings);
    }
  }

  private Includes() {}

  /**
   * Merges every included file's {@code key} object into the document's. Patterns are globs
   * relative to {@code directory}; a pattern that matches nothing is an error, as is a key defined
   * twice.
   */
  public static Resolved resolve(JsonObject config, Path directory) throws ConfigException {
    Object value = config.getValue(KEY);
    if (value == null) {
      return new Resolved(config, List.of());
    }
    List<String> patterns = new Json(config, "").strings(KEY, List.of());
    JsonObject merged = config.copy();
    merged.remove(KEY);
    JsonObject keys =
        merged.getJsonObject("key") == null ? new JsonObject() : merged.getJsonObject("key").copy();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      String key = KEY + "[" + i + "]";
      for (Path file : expand(key, directory, patterns.get(i))) {
        JsonObject included = read(key, file);
        for (String name : included.fieldNames()) {
          if (!INCLUDED_TOP_LEVEL.contains(name)) {
            throw new ConfigException(
                key,
                file + ": only \"key\" may be defined in an included file, found \"" + name + "\"");
          }
        }
        JsonObject fileKeys = included.getJsonObject("key", new JsonObject());
        for (String name : fileKeys.fieldNames()) {
          if (keys.containsKey(name)) {
            throw new ConfigException(key, file + ": key " + name + " is defined twice");
          }
          keys.put(name, fileKeys.getValue(name));
        }
        if (worldReadable(file)) {
          warnings.add("key file " + file + " is readable by every user; chmod o-r it");
        }
      }
    }
    if (!keys.isEmpty()) {
      merged.put("key", keys);
    }
    return new Resolved(merged, warnings);
  }

  /** The files {@code include} names, in the order they are merged. */
  public static List<Path> files(JsonObject config, Path directory) throws ConfigException {
    List<Path> files = new ArrayList<>();
    if (config.getValue(KEY) == null) {
      return files;
    }
    List<String> patterns = new Json(config, "").strings(KEY, List.of());
    for (int i = 0; i < patterns.size(); i++) {
      files.addAll(expand(KEY + "[" + i + "]", directory, patterns.get(i)));
    }
    return files;
  }

  private static List<Path> expand(String key, Path directory, String pattern)
      throws ConfigException {
    Path full = directory.resolve(pattern).normalize();
    Path folder = full.getParent();
    String glob = full.getFileName().toString();
    TreeSet<Path> files = new TreeSet<>();
    try (DirectoryStream<Path> matches = Files.newDirectoryStream(folder, glob)) {
      matches.forEach(files::add);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot list " + folder + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      throw new ConfigException(key, "'" + pattern + "' matches no file in " + folder);
    }
    return new ArrayList<>(files);
  }

  private static JsonObject read(String key, Path file) throws ConfigException {
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new ConfigException(
          key, file + " is not valid JSON: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
    }
  }

  private static boolean worldReadable(Path file) {
    try {
      return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
