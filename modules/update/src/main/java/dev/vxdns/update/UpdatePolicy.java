package dev.vxdns.update;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * BIND's {@code update-policy} (ARM "update-policy", lib/dns/ssu.c): an ordered list of grant and
 * deny rules, checked per update RR; the first rule that matches decides and no match is a denial.
 * Immutable and thread-safe.
 *
 * <p>A rule is {@code ( grant | deny ) identity ruletype [ name ] [ types ]}. The rule types name,
 * subdomain, zonesub (no name field), wildcard, self, selfsub, selfwild, tcp-self and 6to4-self are
 * supported; krb5-*, ms-*, external are refused when parsed. {@code update-policy local} is {@link
 * #local}.
 */
public final class UpdatePolicy {

  /** The rule types vxdns implements, by their BIND spelling. */
  public enum RuleType {
    NAME("name"),
    SUBDOMAIN("subdomain"),
    ZONESUB("zonesub"),
    WILDCARD("wildcard"),
    SELF("self"),
    SELFSUB("selfsub"),
    SELFWILD("selfwild"),
    TCP_SELF("tcp-self"),
    SIX_TO_FOUR_SELF("6to4-self"),
    /** {@code update-policy local}'s rule, made by {@link #local}; not written in rule lists. */
    LOCAL("local");

    private final String configName;

    RuleType(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    static RuleType fromConfig(String text) {
      for (RuleType type : values()) {
        if (type != LOCAL && type.configName.equalsIgnoreCase(text)) {
          return type;
        }
      }
      return null;
    }
  }

  /** One entry of a rule's type list: a type (ANY allowed) and its maximum, 0 for no maximum. */
  public record TypeLimit(int type, int max) {}

  /**
   * One parsed rule.
   *
   * @param name the name field; the zone origin for zonesub; the root for rule types that ignore it
   * @param types the type list; empty means every type except NS, SOA and RRSIG
   * @param text the rule as written, for logs and error messages
   */
  public record Rule(
      boolean grant,
      Name identity,
      RuleType ruleType,
      Name name,
      List<TypeLimit> types,
      String text) {
    public Rule {
      types = List.copyOf(types);
    }

    /** dns_ssutable_checkrules for one rule. */
    boolean matches(UpdateIdentity who, Name signer, Name updated, int type) {
      InetAddress address = who.source();
      switch (ruleType) {
        case TCP_SELF:
        case SIX_TO_FOUR_SELF:
          if (!who.tcp() || address == null) {
            return false;
          }
          break;
        case LOCAL:
          // ssu.c: the session key, from one of this host's addresses.
          if (signer == null || !identityMatches(signer) || !who.fromThisHost()) {
            return false;
          }
          break;
        default:
          if (signer == null || !identityMatches(signer)) {
            return false;
          }
          break;
      }
      if (!nameMatches(signer, address, updated)) {
        return false;
      }
      if (types.isEmpty()) {
        return type != Type.NS && type != Type.SOA && type != Type.RRSIG;
      }
      for (TypeLimit limit : types) {
        if (limit.type() == Type.ANY || limit.type() == type) {
          return true;
        }
      }
      return false;
    }

    /**
     * The most records of that type the rule lets exist at a name (dns_ssurule_max): the type's own
     * entry, else ANY's, else 0 (no maximum).
     */
    public int max(int type) {
      int max = 0;
      for (TypeLimit limit : types) {
        if (limit.type() == Type.ANY) {
          max = limit.max();
        }
        if (limit.type() == type) {
          return limit.max();
        }
      }
      return max;
    }

    private boolean identityMatches(Name candidate) {
      return identity.isWild() ? matchesWildcard(candidate, identity) : candidate.equals(identity);
    }

    private boolean nameMatches(Name signer, InetAddress address, Name updated) {
      switch (ruleType) {
        case NAME:
          return updated.equals(name);
        case SUBDOMAIN:
        case ZONESUB:
        case LOCAL:
          return updated.subdomain(name);
        case WILDCARD:
          return matchesWildcard(updated, name);
        case SELF:
          return signer.equals(updated);
        case SELFSUB:
          return updated.subdomain(signer);
        case SELFWILD:
          try {
            return matchesWildcard(updated, Name.concatenate(WILD, signer));
          } catch (NameTooLongException e) {
            return false;
          }
        case TCP_SELF:
          Name reverse = reverseName(address);
          return identityMatches(reverse) && reverse.equals(updated);
        case SIX_TO_FOUR_SELF:
          Name sixToFour = sixToFourName(address);
          return identityMatches(sixToFour) && sixToFour.equals(updated);
        default:
          return false;
      }
    }
  }

  private static final Name WILD = Name.fromConstantString("*");

  private final List<Rule> rules;

  private UpdatePolicy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * Parses the rules, each one BIND rule without its ';', e.g. {@code "grant update-key. zonesub
   * ANY"}. Names are absolute (a missing final dot is added, as named does). The checks are those
   * of named-checkconf.
   *
   * @param zoneOrigin the zone the policy belongs to (what zonesub means)
   * @throws UpdatePolicyException naming the rule and what is wrong with it
   */
  public static UpdatePolicy parse(List<String> rules, Name zoneOrigin)
      throws UpdatePolicyException {
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(zoneOrigin, "zoneOrigin");
    List<Rule> parsed = new ArrayList<>(rules.size());
    for (String rule : rules) {
      parsed.add(parseRule(rule, zoneOrigin));
    }
    return new UpdatePolicy(parsed);
  }

  /**
   * BIND's {@code update-policy local}: the session key {@code sessionKey} may change anything in
   * the zone ({@code grant KEY zonesub ANY}), and only from one of this host's addresses.
   */
  public static UpdatePolicy local(Name sessionKey, Name zoneOrigin) {
    String text = "local (grant " + sessionKey + " zonesub ANY from this host)";
    return new UpdatePolicy(
        List.of(
            new Rule(
                true,
                sessionKey,
                RuleType.LOCAL,
                zoneOrigin,
                List.of(new TypeLimit(Type.ANY, 0)),
                text)));
  }

  public List<Rule> rules() {
    return rules;
  }

  /**
   * The first rule that matches an update of {@code type} at {@code name} by {@code who}, grant or
   * deny; null when none does (which denies).
   */
  public Rule decidingRule(UpdateIdentity who, Name name, int type) {
    Name signer = who.signer();
    if (signer == null && who.source() == null) {
      return null;
    }
    for (Rule rule : rules) {
      if (rule.matches(who, signer, name, type)) {
        return rule;
      }
    }
    return null;
  }

  /** Whether the policy grants {@code who} an update of {@code type} at {@code name}. */
  public boolean allows(UpdateIdentity who, Name name, int type) {
    Rule rule = decidingRule(who, name, type);
    return rule != null && rule.grant();
  }

  /** Whether the policy grants {@code who} the update RR's owner name and type. */
  public boolean allows(UpdateIdentity who, Record updateRecord) {
    return allows(who, updateRecord.getName(), updateRecord.getType());
  }

  @Override
  public String toString() {
    List<String> texts = new ArrayList<>(rules.size());
    for (Rule rule : rules) {
      texts.add(rule.text());
    }
    return "update-policy " + texts;
  }

  // dns_name_matcheswildcard: strictly below the wildcard's parent.
  static boolean matchesWildcard(Name name, Name wildcard) {
    Name parent = new Name(wildcard, 1);
    return name.subdomain(parent) && !name.equals(parent);
  }

  /** tcp-self: the client address in in-addr.arpa or ip6.arpa (ssu.c reverse_from_address). */
  static Name reverseName(InetAddress address) {
    byte[] bytes = address.getAddress();
    StringBuilder text = new StringBuilder();
    if (address instanceof Inet4Address) {
      for (int i = 3; i >= 0; i--) {
        text.append(bytes[i] & 0xff).append('.');
      }
      text.append("IN-ADDR.ARPA.");
    } else {
      appendNibbles(text, bytes, bytes.length);
      text.append("IP6.ARPA.");
    }
    return Name.fromConstantString(text.toString());
  }

  /**
   * 6to4-self: the 6to4 prefix (RFC 3056) of the client in ip6.arpa, from an IPv4 address (under
   * 2.0.0.2.ip6.arpa) or from the first 48 bits of an IPv6 address (ssu.c stf_from_address).
   */
  static Name sixToFourName(InetAddress address) {
    byte[] bytes = address.getAddress();
    StringBuilder text = new StringBuilder();
    if (address instanceof Inet4Address) {
      appendNibbles(text, bytes, 4);
      text.append("2.0.0.2.IP6.ARPA.");
    } else {
      appendNibbles(text, bytes, 6);
      text.append("IP6.ARPA.");
    }
    return Name.fromConstantString(text.toString());
  }

  private static void appendNibbles(StringBuilder text, byte[] bytes, int count) {
    for (int i = count - 1; i >= 0; i--) {
      text.append(Integer.toHexString(bytes[i] & 0x0f)).append('.');
      text.append(Integer.toHexString((bytes[i] >> 4) & 0x0f)).append('.');
    }
  }

  private static Rule parseRule(String rule, Name zoneOrigin) throws UpdatePolicyException {
    if (rule == null) {
      throw new UpdatePolicyException("update-policy rule is null");
    }
    String text = rule.strip();
    if (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    String[] tokens = text.isEmpty() ? new String[0] : text.split("\\s+");
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = unquote(tokens[i]);
    }
    if (tokens.length == 1 && tokens[0].equalsIgnoreCase("local")) {
      throw new UpdatePolicyException(
          "'local' is a policy of its own, not a rule: write \"update-policy\": \"local\"");
    }
    if (tokens.length == 0) {
      throw problem(text, "empty rule");
    }
    boolean grant;
    if (tokens[0].equalsIgnoreCase("grant")) {
      grant = true;
    } else if (tokens[0].equalsIgnoreCase("deny")) {
      grant = false;
    } else {
      throw problem(text, "'" + tokens[0] + "' is not grant or deny");
    }
    if (tokens.length < 2) {
      throw problem(text, "missing identity");
    }
    Name identity = name(text, tokens[1]);
    if (tokens.length < 3) {
      throw problem(text, "missing rule type");
    }
    String typeText = tokens[2];
    RuleType ruleType = RuleType.fromConfig(typeText);
    if (ruleType == null) {
      String lower = typeText.toLowerCase(Locale.ROOT);
      if (lower.startsWith("krb5-") || lower.startsWith("ms-") || lower.equals("external")) {
        throw problem(text, "rule type '" + typeText + "' is not supported by vxdns");
      }
      throw problem(
          text,
          "'"
              + typeText
              + "' is not a rule type (name, subdomain, zonesub, wildcard, self, selfsub,"
              + " selfwild, tcp-self, 6to4-self)");
    }
    int next = 3;
    Name name;
    if (ruleType == RuleType.ZONESUB) {
      name = zoneOrigin;
    } else {
      if (tokens.length <= next) {
        throw problem(text, "rule type '" + ruleType.configName() + "' needs a name field");
      }
      String nameText = tokens[next++];
      name = name(text, nameText);
      checkNameField(text, ruleType, identity, name, nameText);
    }
    List<TypeLimit> types = new ArrayList<>();
    for (; next < tokens.length; next++) {
      types.add(typeLimit(text, tokens[next]));
    }
    return new Rule(grant, identity, ruleType, name, types, text);
  }

  /** The named-checkconf checks of the name field. */
  private static void checkNameField(
      String text, RuleType ruleType, Name identity, Name name, String nameText)
      throws UpdatePolicyException {
    switch (ruleType) {
      case WILDCARD:
        if (!name.isWild()) {
          throw problem(text, "'" + nameText + "' is not a wildcard");
        }
        break;
      case SELF:
      case SELFSUB:
      case SELFWILD:
        if (!name.equals(identity) && !name.equals(Name.root)) {
          throw problem(text, "identity and name fields are not the same");
        }
        return;
      case TCP_SELF:
      case SIX_TO_FOUR_SELF:
        if (!name.equals(Name.root)) {
          throw problem(text, "name field not set to placeholder value '.'");
        }
        return;
      default:
        break;
    }
    // name, subdomain, wildcard: a type where the name belongs means the name was left out.
    if (Type.value(nameText) >= 0) {
      throw problem(text, "missing name field: type '" + nameText + "' found");
    }
  }

  private static TypeLimit typeLimit(String text, String token) throws UpdatePolicyException {
    String typeName = token;
    int max = 0;
    int bracket = token.indexOf('(');
    if (bracket >= 0) {
      typeName = token.substring(0, bracket);
      String count = token.substring(bracket);
      if (!count.matches("\\(\\d{0,5}\\)")) {
        throw problem(text, "'" + count + "' is not a valid count");
      }
      String digits = count.substring(1, count.length() - 1);
      max = digits.isEmpty() ? 0 : Integer.parseInt(digits);
      if (max > 0xffff) {
        throw problem(text, "'" + count + "' is not a valid count");
      }
    }
    int type = Type.value(typeName);
    if (type < 0) {
      throw problem(text, "'" + typeName + "' is not a valid type");
    }
    return new TypeLimit(type, max);
  }

  private static Name name(String text, String token) throws UpdatePolicyException {
    try {
      return Name.fromString(token, Name.root);
    } catch (TextParseException e) {
      throw problem(text, "'" + token + "' is not a valid name");
    }
  }

  private static String unquote(String token) {
    if (token.length() >= 2 && token.startsWith("\"") && token.endsWith("\"")) {
      return token.substring(1, token.length() - 1);
    }
    return token;
  }

  private static UpdatePolicyException problem(String rule, String problem) {
    return new UpdatePolicyException("update-policy rule '" + rule + "': " + problem);
  }
}
