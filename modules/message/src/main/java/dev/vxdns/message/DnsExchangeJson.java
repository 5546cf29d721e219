package dev.vxdns.message;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.Locale;
import org.xbill.DNS.Message;

/**
 * The JSON form of a {@link DnsExchange}, for stages written in other JVM languages or reached
 * through the TCP event-bus bridge. Addresses are {@code "ip:port"} ({@code "[v6]:port"}), DNS
 * messages base64 wire form; absent values are null. See this module's README for an example.
 */
public final class DnsExchangeJson {
  private DnsExchangeJson() {}

  public static JsonObject toJson(DnsExchange exchange) {
    return new JsonObject()
        .put("transport", exchange.transport().configName())
        .put("listener", exchange.listener())
        .put("realSource", format(exchange.realSource()))
        .put("realDestination", format(exchange.realDestination()))
        .put("effectiveSource", format(exchange.effectiveSource()))
        .put("effectiveDestination", format(exchange.effectiveDestination()))
        .put("proxied", exchange.proxied())
        .put(
            "proxyHeader",
            exchange.proxyHeader() == null
                ? null
                : Base64.getEncoder().encodeToString(exchange.proxyHeader()))
        .put("query", Base64.getEncoder().encodeToString(exchange.query()))
        .put("keyName", exchange.keyName())
        .put("aclMatch", exchange.aclMatch())
        .put("outcome", exchange.outcome().name())
        .put("responseSteps", new io.vertx.core.json.JsonArray(exchange.responseSteps()))
        .put(
            "response",
            exchange.response() == null
                ? null
                : Base64.getEncoder().encodeToString(exchange.response().toWire()))
        .put(
            "responseWire",
            exchange.responseWire() == null
                ? null
                : Base64.getEncoder().encodeToString(exchange.responseWire()));
  }

  /** Reads the JSON form; the request is parsed again from the query when it parses. */
  public static DnsExchange fromJson(JsonObject json) {
    try {
      byte[] query = Base64.getDecoder().decode(json.getString("query"));
      String response = json.getString("response");
      String proxyHeader = json.getString("proxyHeader");
      Message request = parseOrNull(query);
      return DnsExchange.of(
          Transport.fromConfigName(json.getString("transport").toLowerCase(Locale.ROOT)),
          json.getString("listener"),
          parse(json.getString("realSource")),
          parse(json.getString("realDestination")),
          parse(json.getString("effectiveSource")),
          parse(json.getString("effectiveDestination")),
          json.getBoolean("proxied", false),
          proxyHeader == null ? null : Base64.getDecoder().decode(proxyHeader),
          query,
          request,
          json.getString("keyName"),
          json.getString("aclMatch"),
          Outcome.valueOf(json.getString("outcome")),
          response == null ? null : new Message(Base64.getDecoder().decode(response)),
          json.getString("responseWire") == null
              ? null
              : Base64.getDecoder().decode(json.getString("responseWire")),
          responseSteps(json));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed DnsExchange JSON: " + e.getMessage(), e);
    }
  }

  private static java.util.List<String> responseSteps(JsonObject json) {
    io.vertx.core.json.JsonArray steps = json.getJsonArray("responseSteps");
    java.util.List<String> result = new java.util.ArrayList<>();
    if (steps != null) {
      for (int i = 0; i < steps.size(); i++) {
        result.add(steps.getString(i));
      }
    }
    return result;
  }

  private static Message parseOrNull(byte[] query) {
    try {
      return new Message(query);
    } catch (IOException | RuntimeException unparseable) {
      return null;
    }
  }

  static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  static InetSocketAddress parse(String text) throws UnknownHostException {
    int colon = text.lastIndexOf(':');
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new UnknownHostException("IPv6 addresses are written [address]:port, got " + text);
    }
    if (!host.matches("[0-9a-fA-F.:]+")) {
      throw new UnknownHostException("not an address literal: " + text);
    }
    return new InetSocketAddress(
        InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
  }
}
