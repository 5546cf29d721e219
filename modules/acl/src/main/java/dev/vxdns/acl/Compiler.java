package dev.vxdns.acl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON form of address-match lists into {@link CompiledList}s. One compiler serves one
 * call of {@link AddressMatchList#compile} or {@link AddressMatchList#compileNamed}: it compiles
 * each named ACL once, however often it is referenced, and detects undefined and cyclic references.
 * Not thread-safe (it is never shared).
 */
final class Compiler {
  /**
   * Deeper nesting (lists and references together) is surely a mistake, and would risk the stack.
   */
  static final int MAX_DEPTH = 64;

  private static final Set<String> BUILTINS = Set.of("any", "none", "localhost", "localnets");

  /**
   * Keywords that start an element other than a name ({@code key} is checked separately): an ACL
   * cannot be named so. {@code port} and {@code transport} are only written in the object form.
   */
  private static final Set<String> LATER_KINDS = Set.of("ecs", "geoip", "port", "transport");

  /**
   * Keys of BIND 9.20's qualified list, {@code {"port": 853, "transport": "tls", "match": [...]}}.
   */
  private static final Set<String> QUALIFIER_KEYS = Set.of("port", "transport", "match");

  private static final String EXPECTED = "expected a string, a JSON array or {\"!\": [ ... ]}";

  private final Map<String, ? extends List<?>> definitions;
  private final AclEnvironment env;
  private final Map<String, CompiledList> compiledNamed = new HashMap<>();

  /** The named ACLs being compiled, outermost first: a reference to one of them is a cycle. */
  private final LinkedHashSet<String> resolving = new LinkedHashSet<>();

  Compiler(Map<String, ? extends List<?>> definitions, AclEnvironment env) throws AclException {
    this.definitions = definitions;
    this.env = env;
    for (Map.Entry<String, ? extends List<?>> d : definitions.entrySet()) {
      String name = d.getKey();
      if (name == null) {
        throw AclException.inAcl(null, null, "an acl name is null");
      }
      String unusable = unusableName(name);
      if (unusable != null) {
        throw AclException.inAcl(name, null, unusable);
      }
      // Generics do not survive JSON decoding: check the actual type.
      Object value = d.getValue();
      if (!(value instanceof List<?>)) {
        throw AclException.inAcl(
            name, null, "definition must be a JSON array, not " + typeOf(value));
      }
    }
  }

  /** Why {@code name} cannot name an ACL (a reference to it would mean something else), or null. */
  private static String unusableName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (BUILTINS.contains(lower)) {
      return "cannot redefine built-in acl '" + lower + "'";
    }
    if (name.isBlank() || !name.strip().equals(name)) {
      return "an acl name must not be empty or start or end with whitespace";
    }
    if (name.startsWith("!") || name.indexOf('{') >= 0 || name.indexOf(';') >= 0) {
      return "an acl name must not start with '!' or contain '{' or ';'";
    }
    if (IpPrefix.looksLikeAddress(name)) {
      return "an acl name must not look like an address (contain ':' or '/', or be only digits and dots)";
    }
    if (LATER_KINDS.contains(firstWord(lower)) || firstWord(lower).equals("key")) {
      return "an acl name must not start with the keyword '" + firstWord(lower) + "'";
    }
    return null;
  }

  /** Compiles the list that is not itself a named ACL. */
  CompiledList compileList(List<?> elements) throws AclException {
    return compileList(elements, null, 0);
  }

  /** Compiles (or returns the already compiled) named ACL {@code name}. */
  CompiledList compileNamed(String name) throws AclException {
    return resolve(name, null, name, 0);
  }

  private CompiledList compileList(List<?> elements, String acl, int depth) throws AclException {
    PrefixTrie.Builder v4 = new PrefixTrie.Builder();
    PrefixTrie.Builder v6 = new PrefixTrie.Builder();
    List<Term> terms = new ArrayList<>();
    int index = 0;
    for (Object element : elements) {
      compileElement(element, index++, acl, depth, v4, v6, terms);
    }
    return new CompiledList(v4.build(), v6.build(), terms.toArray(new Term[0]));
  }

  private void compileElement(
      Object element,
      int index,
      String acl,
      int depth,
      PrefixTrie.Builder v4,
      PrefixTrie.Builder v6,
      List<Term> terms)
      throws AclException {
    if (element instanceof String s) {
      compileString(s, index, acl, depth, v4, v6, terms);
    } else if (element instanceof List<?> nested) {
      String text = Texts.describe(nested);
      terms.add(new ListTerm(index, false, text, compileNested(nested, acl, depth, text)));
    } else if (element instanceof Map<?, ?> map) {
      String text = Texts.describe(map);
      if (map.size() == 1 && map.containsKey("!")) {
        if (!(map.get("!") instanceof List<?> nested)) {
          throw AclException.inElement(
              acl, text, "the value of \"!\" must be a JSON array, not " + typeOf(map.get("!")));
        }
        terms.add(new ListTerm(index, true, text, compileNested(nested, acl, depth, text)));
      } else if (!map.isEmpty() && QUALIFIER_KEYS.containsAll(map.keySet())) {
        terms.add(compileQualified(map, index, acl, depth, text));
      } else {
        throw AclException.inElement(
            acl, text, "an object element must have the single key \"!\" (a negated nested list)");
      }
    } else {
      throw AclException.inElement(
          acl, Texts.describe(element), EXPECTED + ", not " + typeOf(element));
    }
  }

  /** {@code {"port": 853, "transport": "tls", "match": [ ... ]}}: see {@link QualifiedListTerm}. */
  private Term compileQualified(Map<?, ?> map, int index, String acl, int depth, String text)
      throws AclException {
    int port = 0;
    int transports = 0;
    if (map.containsKey("port")) {
      Object p = map.get("port");
      if (!(p instanceof Number n)
          || n.doubleValue() != Math.rint(n.doubleValue())
          || n.doubleValue() < 1
          || n.doubleValue() > 65535) {
        throw AclException.inElement(
            acl, text, "\"port\" must be a port number 1-65535, not " + describeValue(p));
      }
      port = n.intValue();
    }
    if (map.containsKey("transport")) {
      Object t = map.get("transport");
      transports = t instanceof String name ? Transports.ofElement(name.strip()) : 0;
      if (transports == 0) {
        throw AclException.inElement(
            acl,
            text,
            "\"transport\" must be one of "
                + Transports.ELEMENT_NAMES
                + ", not "
                + describeValue(t));
      }
    }
    if (port == 0 && transports == 0) {
      throw AclException.inElement(
          acl,
          text,
          "a qualified list needs \"port\" or \"transport\""
              + " (without them, write the nested list as a JSON array)");
    }
    if (!(map.get("match") instanceof List<?> nested)) {
      throw AclException.inElement(
          acl,
          text,
          map.containsKey("match")
              ? "the value of \"match\" must be a JSON array, not " + typeOf(map.get("match"))
              : "a qualified list needs \"match\": [ ... ], the list the qualifiers apply to");
    }
    return new QualifiedListTerm(
        index, text, port, transports, compileNested(nested, acl, depth, text));
  }

  private static String describeValue(Object v) {
    return v instanceof String s
        ? "'" + s + "'"
        : v instanceof Number ? String.valueOf(v) : typeOf(v);
  }

  private CompiledList compileNested(List<?> nested, String acl, int depth, String text)
      throws AclException {
    if (depth + 1 > MAX_DEPTH) {
      throw AclException.inElement(
          acl,
          text,
          "nested more than " + MAX_DEPTH + " levels deep (nested lists and acl references)");
    }
    return compileList(nested, acl, depth + 1);
  }

  private void compileString(
      String text,
      int index,
      String acl,
      int depth,
      PrefixTrie.Builder v4,
      PrefixTrie.Builder v6,
      List<Term> terms)
      throws AclException {
    String s = text.strip();
    if (s.isEmpty()) {
      throw AclException.inElement(acl, text, "empty element");
    }
    boolean negated = s.charAt(0) == '!';
    if (negated) {
      s = s.substring(1).strip();
      if (s.isEmpty()) {
        throw AclException.inElement(acl, text, "'!' without an element");
      }
      if (s.charAt(0) == '!') {
        throw AclException.inElement(acl, text, "double negation is not allowed");
      }
    }
    String lower = s.toLowerCase(Locale.ROOT);
    String word = firstWord(lower);
    if (word.equals("key")) {
      terms.add(KeyTerm.parse(index, negated, text, s.substring(3).strip(), acl));
      return;
    }
    if (word.equals("ecs")) {
      terms.add(EcsTerm.parse(index, negated, text, s.substring(3).strip(), acl));
      return;
    }
    if (word.equals("geoip")) {
      terms.add(GeoipTerm.parse(index, negated, text, s.substring(5).strip(), acl, env));
      return;
    }
    if (LATER_KINDS.contains(word)) {
      throw AclException.inElement(
          acl,
          text,
          "port/transport qualifiers are written as an object:"
              + " {\"port\": 853, \"transport\": \"tls\", \"match\": [ ... ]}");
    }
    if (s.indexOf('{') >= 0 || s.indexOf(';') >= 0) {
      throw AclException.inElement(
          acl,
          text,
          "BIND's brace syntax is not used in strings: write a nested list as a JSON array"
              + " and a negated one as {\"!\": [ ... ]}");
    }
    // A match of a negated element denies; "none" is BIND's "!any", so "!none" allows.
    boolean allows = !negated;
    switch (lower) {
      case "any", "none" -> {
        AclDecision d = AclDecision.matched(lower.equals("any") == allows, text, null);
        v4.add(IpPrefix.ALL_V4, index, d);
        v6.add(IpPrefix.ALL_V6, index, d);
      }
      case "localhost" -> addAll(env.localhostPrefixes(), index, allows, text, v4, v6);
      case "localnets" -> addAll(env.localnetsPrefixes(), index, allows, text, v4, v6);
      default -> {
        if (IpPrefix.looksLikeAddress(s)) {
          IpPrefix p;
          try {
            p = IpPrefix.parse(s);
          } catch (InvalidSyntax e) {
            throw AclException.inElement(acl, text, e.problem());
          }
          (p.family == IpPrefix.IPV4 ? v4 : v6)
              .add(p, index, AclDecision.matched(allows, text, null));
        } else {
          terms.add(new ListTerm(index, negated, text, resolve(s, acl, text, depth)));
        }
      }
    }
  }

  /**
   * A built-in's addresses go straight into the tries under the built-in's own index: BIND
   * evaluates localhost/localnets as nested lists, but those lists hold only positive prefixes, and
   * for such a list "the inner list allows" is exactly "one of its prefixes contains the address".
   * The decision's path names the prefix that matched.
   */
  private static void addAll(
      List<IpPrefix> prefixes,
      int index,
      boolean allows,
      String text,
      PrefixTrie.Builder v4,
      PrefixTrie.Builder v6) {
    for (IpPrefix p : prefixes) {
      AclDecision inner = AclDecision.matched(true, p.toString(), null);
      (p.family == IpPrefix.IPV4 ? v4 : v6).add(p, index, AclDecision.matched(allows, text, inner));
    }
  }

  private CompiledList resolve(String name, String fromAcl, String text, int depth)
      throws AclException {
    if (!definitions.containsKey(name)) {
      throw AclException.inAcl(fromAcl, text, "undefined acl '" + name + "'");
    }
    if (resolving.contains(name)) {
      List<String> chain = new ArrayList<>();
      boolean inCycle = false;
      for (String r : resolving) {
        inCycle |= r.equals(name);
        if (inCycle) {
          chain.add(r);
        }
      }
      chain.add(name);
      throw AclException.inAcl(
          fromAcl,
          text,
          "cyclic reference to acl '" + name + "' (" + String.join(" -> ", chain) + ")");
    }
    CompiledList done = compiledNamed.get(name);
    if (done != null) {
      return done;
    }
    if (depth + 1 > MAX_DEPTH) {
      throw AclException.inElement(
          fromAcl,
          text,
          "nested more than " + MAX_DEPTH + " levels deep (nested lists and acl references)");
    }
    resolving.add(name);
    CompiledList compiled = compileList(definitions.get(name), name, depth + 1);
    resolving.remove(name);
    compiledNamed.put(name, compiled);
    return compiled;
  }

  private static String firstWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return s.substring(0, i);
      }
    }
    return s;
  }

  private static String typeOf(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Map<?, ?>) {
      return "an object";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    // E.g. a Vert.x JsonArray handed over unconverted: name the class so the caller sees why.
    return "a " + value.getClass().getName();
  }
}
