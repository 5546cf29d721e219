package dev.vxdns.acl;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled BIND address-match list (ARM 7.1), e.g. the value of {@code allow-query}.
 *
 * <p>Elements are checked in order and the first one that matches decides: a non-negated element
 * allows, a negated one ({@code "!..."}) denies; if none matches the result is "no match", which
 * callers treat as deny. A nested list, a negated nested list or a named ACL matches only when the
 * list inside ALLOWS; its own "!" then gives the polarity, and if the list inside denies or does
 * not match, the outer list continues (BIND's rule; see {@link ListTerm}).
 *
 * <p>Compiled once, evaluated many times: address elements go into first-match prefix tries, so an
 * evaluation costs one trie walk per level however many prefixes the list has. Immutable and
 * thread-safe; a configuration change compiles a new list and swaps it.
 */
public final class AddressMatchList {
  private static final AddressMatchList ANY = builtin("any");
  private static final AddressMatchList NONE = builtin("none");

  private final CompiledList root;
  private final String text;

  private AddressMatchList(CompiledList root, String text) {
    this.root = root;
    this.text = text;
  }

  /**
   * Compiles a list written in the JSON configuration.
   *
   * @param elements the list: each element is a {@code String} (an address, prefix, built-in or
   *     named ACL, optionally negated with a leading "!"), a {@code List} (a nested list), or a
   *     {@code Map} with the single key {@code "!"} whose value is a {@code List} (a negated nested
   *     list). Plain {@code java.util} collections, as decoded JSON (convert Vert.x {@code
   *     JsonArray}/{@code JsonObject} values at every level).
   * @param namedAcls the {@code acl} section: name to list, for references; names are exact
   *     (case-sensitive); the built-in names cannot be redefined
   * @param env what {@code localhost} and {@code localnets} match
   * @throws AclException if an element is malformed, a reference is undefined or cyclic, or a named
   *     ACL that is referenced is invalid; the message names the element and the ACL
   */
  public static AddressMatchList compile(
      List<?> elements, Map<String, ? extends List<?>> namedAcls, AclEnvironment env)
      throws AclException {
    Objects.requireNonNull(elements, "elements");
    Compiler compiler =
        new Compiler(
            Objects.requireNonNull(namedAcls, "namedAcls"), Objects.requireNonNull(env, "env"));
    return new AddressMatchList(compiler.compileList(elements), Texts.describe(elements));
  }

  /**
   * Compiles every named ACL of an {@code acl} section, referenced or not, as BIND's
   * named-checkconf checks them all: for validating a configuration and for {@code acl-check}.
   *
   * @return name to compiled list, in the order of {@code namedAcls}; unmodifiable
   * @throws AclException for the first invalid ACL, naming it
   */
  public static Map<String, AddressMatchList> compileNamed(
      Map<String, ? extends List<?>> namedAcls, AclEnvironment env) throws AclException {
    Compiler compiler =
        new Compiler(
            Objects.requireNonNull(namedAcls, "namedAcls"), Objects.requireNonNull(env, "env"));
    Map<String, AddressMatchList> out = new LinkedHashMap<>();
    for (Map.Entry<String, ? extends List<?>> d : namedAcls.entrySet()) {
      out.put(
          d.getKey(),
          new AddressMatchList(compiler.compileNamed(d.getKey()), Texts.describe(d.getValue())));
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@code { any; }}: allows every address. */
  public static AddressMatchList any() {
    return ANY;
  }

  /** {@code { none; }}: denies every address. */
  public static AddressMatchList none() {
    return NONE;
  }

  private static AddressMatchList builtin(String name) {
    try {
      return compile(List.of(name), Map.of(), AclEnvironment.empty());
    } catch (AclException e) {
      throw new AssertionError("built-in list '" + name + "' does not compile", e);
    }
  }

  /**
   * Evaluates the list for one request. Never blocks; allocates only when an indirect element
   * decides.
   */
  public AclDecision evaluate(MatchContext context) {
    return root.evaluate(Objects.requireNonNull(context, "context"));
  }

  /**
   * Whether the list allows {@code address}: {@code evaluate(MatchContext.of(address)).allowed()}.
   */
  public boolean allows(InetAddress address) {
    return evaluate(MatchContext.of(address)).allowed();
  }

  CompiledList root() {
    return root;
  }

  /** The list in BIND's syntax, e.g. {@code { 10/8; !192.0.2.1; }} (long lists are cut). */
  @Override
  public String toString() {
    return text;
  }
}
