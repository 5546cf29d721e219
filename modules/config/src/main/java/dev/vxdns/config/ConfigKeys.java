package dev.vxdns.config;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys one {@link ConfigPart} claims: top-level sections, keys of {@code options}, and keys of
 * each {@code zone} entry. Keys inside a claimed section or nested object are the part's own
 * business (it checks them with {@link Json#allowOnly}).
 */
public record ConfigKeys(Set<String> sections, Set<String> options, Set<String> zone) {
  public ConfigKeys {
    sections = Set.copyOf(sections);
    options = Set.copyOf(options);
    zone = Set.copyOf(zone);
  }

  /** No keys, to add sections or zone keys to. */
  public static final ConfigKeys NONE = new ConfigKeys(Set.of(), Set.of(), Set.of());

  /** Keys of {@code options}. */
  public static ConfigKeys options(String... keys) {
    return new ConfigKeys(Set.of(), Set.of(keys), Set.of());
  }

  /** These keys and the top-level {@code sections}. */
  public ConfigKeys andSections(String... names) {
    return new ConfigKeys(union(sections, Set.of(names)), options, zone);
  }

  /** These keys and more keys of {@code options}. */
  public ConfigKeys andOptions(String... keys) {
    return new ConfigKeys(sections, union(options, Set.of(keys)), zone);
  }

  /** These keys and the keys of each zone entry. */
  public ConfigKeys andZone(String... keys) {
    return new ConfigKeys(sections, options, union(zone, Set.of(keys)));
  }

  /** Every key any of {@code parts} claims. */
  public static ConfigKeys of(Collection<ConfigKeys> parts) {
    Set<String> sections = new TreeSet<>();
    Set<String> options = new TreeSet<>();
    Set<String> zone = new TreeSet<>();
    for (ConfigKeys part : parts) {
      sections.addAll(part.sections);
      options.addAll(part.options);
      zone.addAll(part.zone);
    }
    return new ConfigKeys(sections, options, zone);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
