package dev.vxdns.verticles.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reserved {@code tls "ephemeral"}: a self-signed certificate for {@code localhost}, {@code
 * 127.0.0.1} and {@code ::1} (EC P-256, valid about a year), kept as PEM files so that test clients
 * can trust it across restarts. BIND makes one in memory at every start; vxdns makes it once, when
 * its files are missing, unreadable, mismatched or about to expire.
 *
 * <p>The JDK has no public API to make a certificate, so this runs the JDK's own {@code keytool}
 * into a throwaway PKCS#12 keystore next to the files, loads it with {@link KeyStore}, and writes
 * the certificate and the PKCS#8 key as PEM (the key with mode 0600). Each file is written to a
 * temporary name and moved into place, and the whole check-and-make runs under a lock file in the
 * folder, so nodes starting at once neither read half files nor mix two key pairs.
 *
 * <p>Blocking: call it off the event loop.
 */
public final class EphemeralCertificate {
  static final String SUBJECT = "CN=localhost";
  static final String SUBJECT_ALT_NAMES = "dns:localhost,ip:127.0.0.1,ip:::1";

  /**
   * keytool's validity: a year and a day from yesterday (a day back for clients whose clock is
   * slow).
   */
  static final int VALIDITY_DAYS = 367;

  /** A certificate that expires sooner than this is made again. */
  static final Duration RENEW_BEFORE = Duration.ofDays(1);

  static final String LOCK_FILE = ".ephemeral.lock";
  private static final String ALIAS = "ephemeral";
  private static final String PASSWORD_VARIABLE = "VXDNS_EPHEMERAL_STOREPASS";
  private static final long KEYTOOL_SECONDS = 60;

  /**
   * A FileLock excludes other processes only; threads of this JVM (several nodes in tests) queue
   * here.
   */
  private static final Object IN_PROCESS = new Object();

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  /**
   * What {@link #ensure} found or made. {@code renewedBecause} is null when the files were reused.
   */
  public record Result(
      Path certFile, Path keyFile, X509Certificate certificate, String renewedBecause) {
    public boolean generated() {
      return renewedBecause != null;
    }

    /** The one line the node logs at start. */
    public String message() {
      String until = DAY.format(certificate.getNotAfter().toInstant());
      String realCertificates =
          "; for real certificates add a top-level \"tls\": {\"mine\": {\"cert-file\": ..., \"key-file\": ...}}"
              + " and set \"tls\": \"mine\" on the listener";
      if (!generated()) {
        return "tls ephemeral: using the self-signed test certificate "
            + certFile
            + " (localhost, 127.0.0.1, ::1; valid until "
            + until
            + "), for testing only"
            + realCertificates;
      }
      return "tls ephemeral: generated a self-signed certificate for testing only ("
          + renewedBecause
          + ") in "
          + certFile.getParent()
          + ": "
          + certFile.getFileName()
          + " for localhost, 127.0.0.1 and ::1, valid until "
          + until
          + ", and "
          + keyFile.getFileName()
          + "; clients must trust it (kdig +tls-ca="
          + certFile
          + ", curl --cacert "
          + certFile
          + ")"
          + realCertificates;
    }
  }

  private EphemeralCertificate() {}

  /** The JDK's keytool, next to the running java. */
  static Path defaultKeytool() {
    boolean windows =
        System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    return Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
  }

  /**
   * Makes sure the entry's files hold a usable certificate and key, generating them with keytool
   * when not.
   */
  public static Result ensure(TlsConfig tls) throws IOException {
    return ensure(tls.certFile(), tls.keyFile(), defaultKeytool(), Instant.now());
  }

  /**
   * Reuses {@code certFile} and {@code keyFile} when both parse, belong together and are valid
   * beyond {@code now} plus {@link #RENEW_BEFORE}; otherwise runs {@code keytool} and replaces
   * them.
   *
   * @throws IOException with a one-line message for the operator (no keytool, a folder that cannot
   *     be written, keytool's own complaint)
   */
  static Result ensure(Path certFile, Path keyFile, Path keytool, Instant now) throws IOException {
    Path folder = certFile.toAbsolutePath().getParent();
    synchronized (IN_PROCESS) {
      try {
        Files.createDirectories(folder);
      } catch (IOException e) {
        throw new IOException("tls ephemeral: cannot create " + folder + ": " + describe(e), e);
      }
      try (FileChannel channel =
              FileChannel.open(
                  folder.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        String problem = problemWith(certFile, keyFile, now);
        if (problem == null) {
          return new Result(certFile, keyFile, readCertificate(certFile), null);
        }
        X509Certificate certificate = generate(certFile, keyFile, keytool);
        return new Result(certFile, keyFile, certificate, problem);
      } catch (IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("tls ephemeral:")) {
          throw e;
        }
        throw new IOException(
            "tls ephemeral: cannot write the test certificate in " + folder + ": " + describe(e),
            e);
      }
    }
  }

  /** Why the files cannot be used as they are, or null when they can. */
  static String problemWith(Path certFile, Path keyFile, Instant now) {
    if (!Files.exists(certFile) && !Files.exists(keyFile)) {
      return "none was there yet";
    }
    for (Path file : List.of(certFile, keyFile)) {
      if (!Files.exists(file)) {
        return file.getFileName() + " was missing";
      }
    }
    X509Certificate certificate;
    PrivateKey key;
    try {
      certificate = readCertificate(certFile);
    } catch (IOException | RuntimeException e) {
      return "the previous certificate was unreadable: " + describe(e);
    }
    try {
      key = readPrivateKey(keyFile);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return "the previous key was unreadable: " + describe(e);
    }
    if (now.isBefore(certificate.getNotBefore().toInstant())) {
      return "the previous certificate was not valid before "
          + certificate.getNotBefore().toInstant();
    }
    if (now.plus(RENEW_BEFORE).isAfter(certificate.getNotAfter().toInstant())) {
      return "the previous certificate expired on "
          + DAY.format(certificate.getNotAfter().toInstant());
    }
    if (!matches(key, certificate)) {
      return "the previous key did not match the certificate";
    }
    return null;
  }

  /** True when a signature by {@code key} verifies with the certificate's public key. */
  static boolean matches(PrivateKey key, X509Certificate certificate) {
    try {
      byte[] challenge = new byte[32];
      RANDOM.nextBytes(challenge);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  static X509Certificate readCertificate(Path certFile) throws IOException {
    try (InputStream in = Files.newInputStream(certFile)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (GeneralSecurityException e) {
      throw new IOException("not an X.509 certificate: " + describe(e), e);
    }
  }

  /** A PEM {@code PRIVATE KEY} (PKCS#8) holding an EC key. */
  static PrivateKey readPrivateKey(Path keyFile) throws IOException, GeneralSecurityException {
    String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException("no PEM PRIVATE KEY in " + keyFile);
    }
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  private static X509Certificate generate(Path certFile, Path keyFile, Path keytool)
      throws IOException {
    if (!Files.isExecutable(keytool)) {
      throw new IOException(
          "tls ephemeral: cannot generate the test certificate: no keytool at "
              + keytool
              + " (this Java runtime lacks it; run vxdns on a full JDK, or name your own cert-file and key-file in a tls entry)");
    }
    Path folder = certFile.toAbsolutePath().getParent();
    Path keystore =
        folder.resolve(".ephemeral-" + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".p12");
    byte[] secret = new byte[18];
    RANDOM.nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    try {
      runKeytool(keytool, keystore, password);
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keystore)) {
        store.load(in, password.toCharArray());
      }
      PrivateKey key = (PrivateKey) store.getKey(ALIAS, password.toCharArray());
      X509Certificate certificate = (X509Certificate) store.getCertificate(ALIAS);
      if (key == null || certificate == null || !"PKCS#8".equals(key.getFormat())) {
        throw new IOException(
            "tls ephemeral: keytool's keystore " + keystore + " lacks the key pair it should hold");
      }
      writeAtomically(keyFile, pem("PRIVATE KEY", key.getEncoded()), true);
      writeAtomically(certFile, pem("CERTIFICATE", certificate.getEncoded()), false);
      return certificate;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "tls ephemeral: cannot read the keystore keytool made: " + describe(e), e);
    } finally {
      Files.deleteIfExists(keystore);
    }
  }

  private static void runKeytool(Path keytool, Path keystore, String password) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-dname",
                SUBJECT,
                "-ext",
                "SAN=" + SUBJECT_ALT_NAMES,
                "-startdate",
                "-1d",
                "-validity",
                Integer.toString(VALIDITY_DAYS),
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass:env",
                PASSWORD_VARIABLE));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put(PASSWORD_VARIABLE, password);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("tls ephemeral: cannot run " + keytool + ": " + describe(e), e);
    }
    process.getOutputStream().close();
    String output;
    try {
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(KEYTOOL_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            "tls ephemeral: " + keytool + " did not finish in " + KEYTOOL_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("tls ephemeral: interrupted while waiting for keytool", e);
    }
    if (process.exitValue() != 0 || !Files.isRegularFile(keystore)) {
      throw new IOException(
          "tls ephemeral: keytool failed (exit "
              + process.exitValue()
              + "): "
              + output.strip().replaceAll("\\s*\\R\\s*", " "));
    }
  }

  static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Writes a temporary file in the target's folder (mode 0600 for a key) and renames it over the
   * target.
   */
  private static void writeAtomically(Path target, byte[] content, boolean secret)
      throws IOException {
    Path folder = target.toAbsolutePath().getParent();
    boolean posix = folder.getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes =
        posix
            ? new FileAttribute<?>[] {
              PosixFilePermissions.asFileAttribute(
                  PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--"))
            }
            : new FileAttribute<?>[0];
    Path temporary =
        Files.createTempFile(folder, "." + target.getFileName() + "-", ".tmp", attributes);
    try {
      Files.write(temporary, content);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof java.nio.file.FileSystemException) {
      java.nio.file.FileSystemException problem = (java.nio.file.FileSystemException) failure;
      String reason =
          problem.getReason() != null
              ? problem.getReason()
              : problem instanceof java.nio.file.AccessDeniedException
                  ? "permission denied"
                  : problem instanceof java.nio.file.NoSuchFileException
                      ? "no such file"
                      : problem instanceof java.nio.file.FileAlreadyExistsException
                          ? "a file is in the way"
                          : problem.getClass().getSimpleName();
      return reason + (problem.getFile() == null ? "" : " (" + problem.getFile() + ")");
    }
    String message =
        failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
