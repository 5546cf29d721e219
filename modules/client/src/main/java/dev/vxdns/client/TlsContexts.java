package dev.vxdns.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS as dig does it: without {@code +tls-ca} the server's certificate is not checked (DoT's
 * opportunistic profile, RFC 7858); with it the chain must lead to the given anchors (or the JDK's)
 * and carry the expected name ({@code +tls-hostname}, else the server's address).
 */
final class TlsContexts {
  private TlsContexts() {}

  /** A TLS client over {@code socket} (already connected), handshaken with {@code alpn}. */
  static SSLSocket handshake(Socket socket, ClientOptions options, List<String> alpn)
      throws IOException {
    // The JDK checks the certificate against this name: the expected one when given.
    ClientOptions.Tls settings = options.tls();
    String host =
        settings.hostname() != null
            ? settings.hostname()
            : options.server().getAddress().getHostAddress();
    SSLSocket tls =
        (SSLSocket)
            context(settings)
                .getSocketFactory()
                .createSocket(socket, host, options.server().getPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setApplicationProtocols(alpn.toArray(String[]::new));
    if (settings.hostname() != null) {
      parameters.setServerNames(List.of(new SNIHostName(settings.hostname())));
    }
    if (settings.verifies()) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    tls.setSSLParameters(parameters);
    tls.startHandshake();
    return tls;
  }

  private static SSLContext context(ClientOptions.Tls settings) throws IOException {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      TrustManager[] trust;
      if (settings.ca() != null) {
        trust = anchors(settings.ca());
      } else if (settings.verify()) {
        trust = null;
      } else {
        trust = new TrustManager[] {new TrustingAll()};
      }
      context.init(null, trust, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] anchors(java.nio.file.Path file)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(file)) {
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + i++, certificate);
      }
      if (i == 0) {
        throw new IOException("no certificate in " + file);
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }

  /** dig's default: encryption without authentication. */
  private static final class TrustingAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
