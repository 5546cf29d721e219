package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for localhost and 127.0.0.1 made with openssl for a TLS test, the
 * node's {@code tls} entry for it, and a client context that trusts it. Skips the test when openssl
 * is missing.
 */
record TestCertificate(Path cert, Path key) {
  static final String TLS_NAME = "local-tls";

  static TestCertificate create(Path dir) throws Exception {
    Peer.assumeInstalled("openssl", "openssl");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    assertTrue(openssl.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, openssl.exitValue(), new String(openssl.getInputStream().readAllBytes()));
    return new TestCertificate(cert, key);
  }

  /** The config's top-level {@code tls} object naming this certificate {@value #TLS_NAME}. */
  JsonObject tlsConfig() {
    return new JsonObject()
        .put(
            TLS_NAME,
            new JsonObject().put("cert-file", cert.toString()).put("key-file", key.toString()));
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
