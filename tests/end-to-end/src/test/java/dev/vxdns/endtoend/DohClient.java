package dev.vxdns.endtoend;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * DNS over HTTPS (RFC 8484) with the JDK's {@link HttpClient}: HTTP/2 clients with a 3 s connect
 * timeout, the GET with its {@code dns} parameter and the POST of a body, each with a 5 s timeout.
 * An HTTP/2 client written frame by frame is {@link Http2Client}.
 */
final class DohClient {
  private DohClient() {}

  /** An HTTP/2 client over TLS trusting {@code context}. */
  static HttpClient https(SSLContext context) {
    return HttpClient.newBuilder()
        .sslContext(context)
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(3))
        .build();
  }

  /** An HTTP/2 client without TLS (h2c, by upgrade from HTTP/1.1). */
  static HttpClient http2() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(3))
        .build();
  }

  /** The {@code dns} parameter of a GET: base64url without padding. */
  static String base64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A GET of {@code url}{@code ?dns=}{@code query}, accepting application/dns-message. */
  static HttpResponse<byte[]> get(HttpClient client, String url, byte[] query) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url + "?dns=" + base64url(query)))
            .header("Accept", "application/dns-message")
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A POST of {@code body} to {@code url} with the content type {@code type}. */
  static HttpResponse<byte[]> post(HttpClient client, String url, byte[] body, String type)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", type)
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
