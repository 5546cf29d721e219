package dev.vxdns.config;

/**
 * One part of the configuration: the keys a stage, transport, control channel or the zone engine
 * owns, their defaults and validation, and the immutable value they parse into. Each part lives in
 * its own module, next to the verticle that uses it; the node composes the parts, rejects any key
 * that no part claims ({@link ConfigSource#checked}) and parses each part once per load.
 *
 * @param <T> the part's immutable value
 */
public interface ConfigPart<T> {
  /** The keys this part reads. */
  ConfigKeys keys();

  /** This part's value; fails with the first problem found, naming its key. */
  T parse(ConfigSource source) throws ConfigException;
}
