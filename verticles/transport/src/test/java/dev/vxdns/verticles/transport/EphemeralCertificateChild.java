package dev.vxdns.verticles.transport;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A separate JVM standing for a node at start, for {@link EphemeralCertificateTest}: ensures the
 * certificate at {@code args[0]}, {@code args[1]} and prints whether it generated it and its
 * SHA-256.
 */
final class EphemeralCertificateChild {
  private EphemeralCertificateChild() {}

  public static void main(String[] args) throws Exception {
    EphemeralCertificate.Result result =
        EphemeralCertificate.ensure(
            Path.of(args[0]),
            Path.of(args[1]),
            EphemeralCertificate.defaultKeytool(),
            Instant.now());
    System.out.println(result.generated() + " " + fingerprint(result.certificate()));
  }

  static String fingerprint(X509Certificate certificate) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }
}
