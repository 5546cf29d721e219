package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated {@code tls "ephemeral"}: what keytool makes, when it is reused or made again, and
 * that TLS works on it.
 */
class EphemeralCertificateTest {
  private static TlsConfig tls(Path dir) {
    return TlsConfig.ephemeral(dir.resolve("tls/generated"));
  }

  private static X509Certificate certificate(Path file) throws Exception {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static Set<String> folderContents(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void generatesASelfSignedP256CertificateForLocalhostAndItsPkcs8Key(@TempDir Path dir)
      throws Exception {
    TlsConfig tls = tls(dir);
    EphemeralCertificate.Result result = EphemeralCertificate.ensure(tls);
    assertTrue(result.generated());
    assertEquals("none was there yet", result.renewedBecause());

    String certPem = Files.readString(tls.certFile(), StandardCharsets.US_ASCII);
    String keyPem = Files.readString(tls.keyFile(), StandardCharsets.US_ASCII);
    assertTrue(
        certPem.startsWith("-----BEGIN CERTIFICATE-----\n")
            && certPem.endsWith("-----END CERTIFICATE-----\n"),
        certPem);
    assertTrue(
        keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n")
            && keyPem.endsWith("-----END PRIVATE KEY-----\n"),
        "PKCS#8 PEM");
    for (String line : (certPem + keyPem).split("\n")) {
      assertTrue(line.length() <= 64, "PEM lines of at most 64 columns: " + line);
    }

    X509Certificate cert = certificate(tls.certFile());
    assertEquals(result.certificate(), cert);
    assertEquals("CN=localhost", cert.getSubjectX500Principal().getName());
    assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal(), "self-signed");
    cert.verify(cert.getPublicKey());
    Set<Object> names = new HashSet<>();
    for (List<?> name : cert.getSubjectAlternativeNames()) {
      Object value = name.get(1);
      names.add((Integer) name.get(0) == 7 ? InetAddress.getByName((String) value) : value);
    }
    assertEquals(
        Set.of("localhost", InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
        names);

    ECPublicKey publicKey = (ECPublicKey) cert.getPublicKey();
    AlgorithmParameters p256 = AlgorithmParameters.getInstance("EC");
    p256.init(new ECGenParameterSpec("secp256r1"));
    assertEquals(
        p256.getParameterSpec(ECParameterSpec.class).getCurve(), publicKey.getParams().getCurve());
    Instant now = Instant.now();
    assertFalse(cert.getNotBefore().toInstant().isAfter(now));
    Duration left = Duration.between(now, cert.getNotAfter().toInstant());
    assertTrue(left.toDays() >= 360 && left.toDays() <= 370, "about a year: " + left);

    PrivateKey key = EphemeralCertificate.readPrivateKey(tls.keyFile());
    assertTrue(key instanceof ECPrivateKey);
    assertTrue(EphemeralCertificate.matches(key, cert), "the key is the certificate's");

    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.keyFile())));
    assertEquals(
        Set.of("ephemeral.crt", "ephemeral.key", EphemeralCertificate.LOCK_FILE),
        folderContents(tls.keyFile().getParent()),
        "no keystore or temporary file is left behind");
    assertTrue(
        result.message().contains(tls.certFile().getParent().toString())
            && result.message().contains("self-signed")
            && result.message().contains("cert-file"),
        result.message());
    assertFalse(result.message().contains("\n"), "one line");
  }

  @Test
  void reusesTheFilesOnTheNextStart(@TempDir Path dir) throws Exception {
    TlsConfig tls = tls(dir);
    EphemeralCertificate.ensure(tls);
    byte[] cert = Files.readAllBytes(tls.certFile());
    byte[] key = Files.readAllBytes(tls.keyFile());
    FileTime written = Files.getLastModifiedTime(tls.certFile());

    EphemeralCertificate.Result again = EphemeralCertificate.ensure(tls);
    assertFalse(again.generated(), again.renewedBecause());
    assertArrayEquals(cert, Files.readAllBytes(tls.certFile()));
    assertArrayEquals(key, Files.readAllBytes(tls.keyFile()));
    assertEquals(written, Files.getLastModifiedTime(tls.certFile()));
    assertTrue(
        again
            .message()
            .startsWith("tls ephemeral: using the self-signed test certificate " + tls.certFile()),
        again.message());
  }

  @Test
  void makesANewOneWhenTheOldOneExpiresWithinADay(@TempDir Path dir) throws Exception {
    TlsConfig tls = tls(dir);
    X509Certificate first = EphemeralCertificate.ensure(tls).certificate();
    Instant lastDay = first.getNotAfter().toInstant().minus(Duration.ofHours(12));
    EphemeralCertificate.Result renewed =
        EphemeralCertificate.ensure(
            tls.certFile(), tls.keyFile(), EphemeralCertificate.defaultKeytool(), lastDay);
    assertTrue(renewed.generated());
    assertTrue(renewed.renewedBecause().contains("expired"), renewed.renewedBecause());
    assertNotEquals(first, certificate(tls.certFile()));
    assertEquals(renewed.certificate(), certificate(tls.certFile()));
  }

  @Test
  void makesANewOneWhenAFileIsGarbageMissingOrOfAnotherPair(@TempDir Path dir) throws Exception {
    TlsConfig tls = tls(dir);
    X509Certificate first = EphemeralCertificate.ensure(tls).certificate();

    Files.writeString(
        tls.certFile(),
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    EphemeralCertificate.Result garbage = EphemeralCertificate.ensure(tls);
    assertTrue(
        garbage.renewedBecause().contains("certificate was unreadable"), garbage.renewedBecause());
    assertNotEquals(first, garbage.certificate());

    Files.delete(tls.keyFile());
    EphemeralCertificate.Result missing = EphemeralCertificate.ensure(tls);
    assertEquals("ephemeral.key was missing", missing.renewedBecause());

    TlsConfig other = tls(dir.resolve("other"));
    EphemeralCertificate.ensure(other);
    Files.copy(other.keyFile(), tls.keyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    EphemeralCertificate.Result mismatched = EphemeralCertificate.ensure(tls);
    assertEquals("the previous key did not match the certificate", mismatched.renewedBecause());
    assertTrue(
        EphemeralCertificate.matches(
            EphemeralCertificate.readPrivateKey(tls.keyFile()), certificate(tls.certFile())));
    assertFalse(EphemeralCertificate.ensure(tls).generated());
  }

  @Test
  void aMissingKeytoolIsOneClearLine(@TempDir Path dir) {
    TlsConfig tls = tls(dir);
    Path keytool = dir.resolve("no-jdk/bin/keytool");
    IOException error =
        assertThrows(
            IOException.class,
            () ->
                EphemeralCertificate.ensure(tls.certFile(), tls.keyFile(), keytool, Instant.now()));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "tls ephemeral: cannot generate the test certificate: no keytool at " + keytool),
        error.getMessage());
    assertFalse(error.getMessage().contains("\n"));
    assertFalse(Files.exists(tls.certFile()));
  }

  @Test
  void aFailingKeytoolReportsItsExitAndOutput(@TempDir Path dir) throws Exception {
    Path keytool = dir.resolve("keytool");
    Files.writeString(
        keytool,
        "#!/bin/sh\necho 'keytool error: something broke'\necho 'on two lines' >&2\nexit 3\n");
    Files.setPosixFilePermissions(keytool, PosixFilePermissions.fromString("rwx------"));
    TlsConfig tls = tls(dir);
    IOException error =
        assertThrows(
            IOException.class,
            () ->
                EphemeralCertificate.ensure(tls.certFile(), tls.keyFile(), keytool, Instant.now()));
    assertEquals(
        "tls ephemeral: keytool failed (exit 3): keytool error: something broke on two lines",
        error.getMessage());
  }

  @Test
  void aFolderThatCannotBeMadeIsOneClearLine(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tls"), "a file where the folder should be");
    IOException error =
        assertThrows(IOException.class, () -> EphemeralCertificate.ensure(tls(dir)));
    assertTrue(
        error
            .getMessage()
            .startsWith("tls ephemeral: cannot create " + dir.resolve("tls/generated")),
        error.getMessage());
  }

  /**
   * Nodes started at once (separate JVMs, so the file lock is what keeps them apart) end up with
   * one pair.
   */
  @Test
  void concurrentStartsAgreeOnOnePair(@TempDir Path dir) throws Exception {
    TlsConfig tls = tls(dir);
    List<Process> children = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      children.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  EphemeralCertificateChild.class.getName(),
                  tls.certFile().toString(),
                  tls.keyFile().toString())
              .redirectErrorStream(true)
              .start());
    }
    Set<String> seen = new HashSet<>();
    int generated = 0;
    for (Process child : children) {
      String output =
          new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, child.exitValue(), output);
      String[] fields = output.split(" ");
      generated += Boolean.parseBoolean(fields[0]) ? 1 : 0;
      seen.add(fields[1]);
    }
    assertEquals(1, generated, "one start makes the pair, the others reuse it");
    assertEquals(1, seen.size(), "every start sees the same certificate: " + seen);
    assertEquals(
        EphemeralCertificateChild.fingerprint(certificate(tls.certFile())), seen.iterator().next());
    assertTrue(
        EphemeralCertificate.matches(
            EphemeralCertificate.readPrivateKey(tls.keyFile()), certificate(tls.certFile())));
  }

  /**
   * A Vert.x TLS server on the PEM files, and a JDK client that trusts the certificate and checks
   * the name.
   */
  @Test
  void aVertxTlsServerOnTheFilesIsTrustedByAClientOfTheCertificate(@TempDir Path dir)
      throws Exception {
    TlsConfig tls = tls(dir);
    EphemeralCertificate.ensure(tls);
    Vertx vertx = Vertx.vertx();
    try {
      NetServer server =
          vertx
              .createNetServer(
                  new NetServerOptions()
                      .setSsl(true)
                      .setKeyCertOptions(
                          new PemKeyCertOptions()
                              .setCertPath(tls.certFile().toString())
                              .setKeyPath(tls.keyFile().toString())))
              .connectHandler(socket -> socket.handler(socket::write));
      int port =
          server
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .actualPort();

      SSLContext trusting = trusting(certificate(tls.certFile()));
      for (String serverName : List.of("localhost", "127.0.0.1")) {
        try (SSLSocket socket = connect(trusting, port, serverName)) {
          socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          assertEquals(
              "ping",
              new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII),
              serverName);
          assertEquals(certificate(tls.certFile()), socket.getSession().getPeerCertificates()[0]);
        }
      }
      SSLContext trustingAnother =
          trusting(EphemeralCertificate.ensure(tls(dir.resolve("other"))).certificate());
      assertThrows(
          SSLHandshakeException.class,
          () -> connect(trustingAnother, port, "localhost").close(),
          "a client that does not trust this certificate is refused");
      assertThrows(
          SSLHandshakeException.class,
          () -> connect(trusting, port, "example.test").close(),
          "the certificate is for localhost only");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static SSLContext trusting(X509Certificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("vxdns", certificate);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /**
   * Connects to 127.0.0.1 and checks the certificate against {@code serverName}, as HTTPS clients
   * do.
   */
  private static SSLSocket connect(SSLContext context, int port, String serverName)
      throws Exception {
    java.net.Socket socket = new java.net.Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      socket.setSoTimeout(3000);
      SSLSocket layered =
          (SSLSocket) context.getSocketFactory().createSocket(socket, serverName, port, true);
      SSLParameters parameters = layered.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      layered.setSSLParameters(parameters);
      layered.startHandshake();
      return layered;
    } catch (Exception e) {
      socket.close();
      throw e;
    }
  }
}
