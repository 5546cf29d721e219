package dev.vxdns.update;

import java.net.InetAddress;
import org.xbill.DNS.Name;

/**
 * Who sent an UPDATE, as update-policy sees it.
 *
 * @param keyName the verified TSIG key or SIG(0) signer, as an absolute name text ("host1-key."),
 *     or null when the request was not signed
 * @param source the effective client address (after PROXY), used by tcp-self and 6to4-self; null
 *     when unknown (those rules then never match)
 * @param tcp whether the request arrived over a stream transport (TCP, DoT, DoH)
 * @param fromThisHost whether {@code source} is one of this host's addresses (BIND's {@code
 *     localhost} list), which {@code update-policy local} requires
 */
public record UpdateIdentity(
    String keyName, InetAddress source, boolean tcp, boolean fromThisHost) {
  /** An identity whose source is not known to be this host's. */
  public UpdateIdentity(String keyName, InetAddress source, boolean tcp) {
    this(keyName, source, tcp, false);
  }

  /** The signer as a name, null when unsigned; a relative key name is taken as absolute. */
  Name signer() {
    if (keyName == null) {
      return null;
    }
    try {
      return Name.fromString(keyName, Name.root);
    } catch (org.xbill.DNS.TextParseException e) {
      return null;
    }
  }
}
