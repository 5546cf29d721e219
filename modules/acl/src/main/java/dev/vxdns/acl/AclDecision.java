package dev.vxdns.acl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of evaluating an address-match list: allowed, denied, or no match (which callers
 * treat as deny, as BIND does), and the element that decided it.
 *
 * <p>{@link #element()} is the element of the evaluated list itself, as written (a nested list is
 * shown in BIND's brace syntax). When that element is indirect (a nested list, a named ACL, {@code
 * localhost}, {@code localnets}), {@link #path()} continues into it down to the element that
 * matched there, e.g. {@code [bogusnets, 10/8]}: what {@code acl-check} and logs show.
 *
 * <p>Immutable. Decisions of direct elements are built once at compile time, so an evaluation that
 * is decided by an address element allocates nothing.
 */
public final class AclDecision {
  private static final AclDecision NO_MATCH = new AclDecision(false, false, null, null);

  private final boolean matched;
  private final boolean allowed;
  private final String element;
  private final AclDecision inner;

  private AclDecision(boolean matched, boolean allowed, String element, AclDecision inner) {
    this.matched = matched;
    this.allowed = allowed;
    this.element = element;
    this.inner = inner;
  }

  /** The decision "no element matched". */
  public static AclDecision noMatch() {
    return NO_MATCH;
  }

  /** A decision by {@code element}; {@code inner} is the decision inside it if it is indirect. */
  static AclDecision matched(boolean allowed, String element, AclDecision inner) {
    return new AclDecision(true, allowed, Objects.requireNonNull(element), inner);
  }

  /** True if a non-negated element matched first. Callers allow exactly in this case. */
  public boolean allowed() {
    return allowed;
  }

  /** True if a negated element matched first (an explicit deny, as opposed to no match). */
  public boolean denied() {
    return matched && !allowed;
  }

  /** True if some element matched; false means "no match", which callers treat as deny. */
  public boolean matched() {
    return matched;
  }

  /** The deciding element of the evaluated list as written, or {@code null} if nothing matched. */
  public String element() {
    return element;
  }

  /**
   * From {@link #element()} down into indirect elements to the one that matched; empty if no match.
   */
  public List<String> path() {
    if (!matched) {
      return List.of();
    }
    List<String> path = new ArrayList<>(2);
    for (AclDecision d = this; d != null; d = d.inner) {
      path.add(d.element);
    }
    return Collections.unmodifiableList(path);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AclDecision d
        && d.matched == matched
        && d.allowed == allowed
        && Objects.equals(d.element, element)
        && Objects.equals(d.inner, inner);
  }

  @Override
  public int hashCode() {
    return Objects.hash(matched, allowed, element, inner);
  }

  /**
   * E.g. {@code allowed by 'bogusnets' -> '10/8'}, {@code denied by '!192.0.2.1'}, {@code no
   * match}.
   */
  @Override
  public String toString() {
    if (!matched) {
      return "no match";
    }
    StringBuilder sb = new StringBuilder(allowed ? "allowed by " : "denied by ");
    String sep = "";
    for (String e : path()) {
      sb.append(sep).append('\'').append(e).append('\'');
      sep = " -> ";
    }
    return sb.toString();
  }
}
