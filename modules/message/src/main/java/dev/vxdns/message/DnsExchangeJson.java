package dev.vxdns.message;

import dev.vxdns.message.DnsExchange.Endpoints;
import dev.vxdns.message.DnsExchange.Query;
import dev.vxdns.message.DnsExchange.Reply;
import dev.vxdns.message.DnsExchange.Verdicts;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The JSON form of a {@link DnsExchange}, for stages written in other JVM languages or reached
 * through the TCP event-bus bridge: one object per group ({@code endpoints}, {@code query}, {@code
 * verdicts}, {@code reply}) keyed by the group's component names, as {@link RecordCodec} writes
 * them. Addresses are {@code "ip:port"} ({@code "[v6]:port"}), DNS messages base64 wire form, PROXY
 * headers base64 PROXY v2 bytes, enums their constant names; absent values are null. See this
 * module's README for an example.
 */
public final class DnsExchangeJson {
  private static final RecordCodec<Endpoints> ENDPOINTS = RecordCodec.of(Endpoints.class);
  private static final RecordCodec<Query> QUERY = RecordCodec.of(Query.class);
  private static final RecordCodec<Verdicts> VERDICTS = RecordCodec.of(Verdicts.class);
  private static final RecordCodec<Reply> REPLY = RecordCodec.of(Reply.class);

  private DnsExchangeJson() {}

  public static JsonObject toJson(DnsExchange exchange) {
    return new JsonObject()
        .put("endpoints", ENDPOINTS.toJson(exchange.endpoints()))
        .put("query", QUERY.toJson(exchange.query()))
        .put("verdicts", VERDICTS.toJson(exchange.verdicts()))
        .put("reply", REPLY.toJson(exchange.reply()));
  }

  /** Reads the JSON form; the request is parsed again from the query when it parses. */
  public static DnsExchange fromJson(JsonObject json) {
    try {
      Query query = QUERY.fromJson(group(json, "query"));
      return DnsExchange.of(
          ENDPOINTS.fromJson(group(json, "endpoints")),
          query,
          VERDICTS.fromJson(group(json, "verdicts")),
          REPLY.fromJson(group(json, "reply")),
          parseOrNull(query.wire()));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed DnsExchange JSON: " + e.getMessage(), e);
    }
  }

  /** A group's object; a missing one reads as all its components absent. */
  private static JsonObject group(JsonObject json, String name) {
    JsonObject group = json.getJsonObject(name);
    return group == null ? new JsonObject() : group;
  }

  private static ParsedRequest parseOrNull(byte[] query) {
    try {
      return ParsedRequest.parse(query);
    } catch (IOException | RuntimeException unparseable) {
      return null;
    }
  }
}
