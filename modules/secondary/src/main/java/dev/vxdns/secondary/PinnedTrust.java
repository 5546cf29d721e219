package dev.vxdns.secondary;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Checks a TLS primary's certificate chain against the CAs of a PEM file and, when a server name is
 * given, the leaf's DNS subjectAltNames against that name (RFC 6125: exact, or a wildcard as the
 * whole leftmost label).
 *
 * <p>Why not the JDK's own name check: it tries the SNI name first and, when that fails, silently
 * falls back to the address connected to, so a certificate for 127.0.0.1 would pass for any name.
 */
public final class PinnedTrust extends X509ExtendedTrustManager {
  private final X509TrustManager chain;
  private final String serverName;

  private PinnedTrust(X509TrustManager chain, String serverName) {
    this.chain = chain;
    this.serverName = serverName;
  }

  /** Reads the CA file (blocking: call it on a worker). */
  public static TrustManager load(TlsTrust trust) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> cas;
    try (InputStream in = Files.newInputStream(Path.of(trust.caPemPath()))) {
      cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (cas.isEmpty()) {
      throw new CertificateException("no certificate in " + trust.caPemPath());
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate ca : cas) {
      store.setCertificateEntry("ca" + i++, ca);
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return new PinnedTrust(x509, trust.serverName());
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certificates, String authType)
      throws CertificateException {
    chain.checkServerTrusted(certificates, authType);
    if (serverName != null && !matches(certificates[0], serverName)) {
      throw new CertificateException(
          "the primary's certificate is not for "
              + serverName
              + ": "
              + certificates[0].getSubjectX500Principal());
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certificates, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(certificates, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(certificates, authType);
  }

  static boolean matches(X509Certificate leaf, String name) throws CertificateException {
    String wanted = stripDot(name.toLowerCase(Locale.ROOT));
    Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
    if (alternatives == null) {
      return false;
    }
    for (List<?> alternative : alternatives) {
      if (Integer.valueOf(2).equals(alternative.get(0))) {
        String dns = stripDot(String.valueOf(alternative.get(1)).toLowerCase(Locale.ROOT));
        if (dns.equals(wanted)
            || (dns.startsWith("*.")
                && wanted.indexOf('.') > 0
                && wanted.substring(wanted.indexOf('.')).equals(dns.substring(1)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certificates, String authType)
      throws CertificateException {
    throw new CertificateException("a primary's trust checks servers only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certificates, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(certificates, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] certificates, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(certificates, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return chain.getAcceptedIssuers();
  }
}
