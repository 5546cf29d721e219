package dev.vxdns.endtoend;

import dev.vxdns.verticles.transport.EphemeralCertificate;
import dev.vxdns.verticles.transport.TlsConfig;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, made in the JVM's own way as the node
 * makes its {@code tls "ephemeral"} one (EphemeralCertificate, the JDK's keytool), the node's
 * {@code tls} entry for it, and a client context that trusts it.
 */
record TestCertificate(Path cert, Path key) {
  static final String TLS_NAME = "local-tls";

  static TestCertificate create(Path dir) throws Exception {
    EphemeralCertificate.Result made = EphemeralCertificate.ensure(TlsConfig.ephemeral(dir));
    return new TestCertificate(made.certFile(), made.keyFile());
  }

  /** The config's top-level {@code tls} object naming this certificate {@value #TLS_NAME}. */
  JsonObject tlsConfig() {
    return new JsonObject()
        .put(
            TLS_NAME,
            new JsonObject().put("cert-file", cert.toString()).put("key-file", key.toString()));
  }

  /**
   * A {@code listen-on} entry for {@code transport} ("dot", "doh") on 127.0.0.1:{@code port} with
   * the certificate named {@value #TLS_NAME}; callers add what else it needs (http, proxy).
   */
  static JsonObject listener(String transport, int port) {
    return TestNode.listener(port, transport).put("tls", TLS_NAME);
  }

  /** A TLS client context that trusts this certificate and nothing else. */
  SSLContext trustingContext() throws Exception {
    return trusting(cert);
  }

  /** A TLS client context that trusts the PEM certificate {@code cert} and nothing else. */
  static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "vxdns", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
