package dev.vxdns.message;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Event-bus codec of {@link DnsExchange}. Local delivery passes the immutable exchange by reference
 * (zero copy); cluster delivery writes the compact binary form of {@link DnsExchangeBinary}.
 */
public final class DnsExchangeCodec implements MessageCodec<DnsExchange, DnsExchange> {
  public static final String NAME = "vxdns.exchange";
  public static final DeliveryOptions DELIVERY = new DeliveryOptions().setCodecName(NAME);

  /**
   * Registers the codec on this Vert.x instance; safe to call from every verticle that needs it.
   */
  public static void registerOn(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(new DnsExchangeCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // Every stage and transport calls this in start(); the first one wins.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, DnsExchange exchange) {
    byte[] bytes = DnsExchangeBinary.encode(exchange);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public DnsExchange decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return DnsExchangeBinary.decode(buffer.getBytes(pos + 4, pos + 4 + length));
  }

  @Override
  public DnsExchange transform(DnsExchange exchange) {
    return exchange;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
