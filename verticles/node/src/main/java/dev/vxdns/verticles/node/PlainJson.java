package dev.vxdns.verticles.node;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON codec for a node: Jackson's streaming parser and generator, as Vert.x uses them
 * when jackson-databind is absent. The jar has databind (geoip2 reads its databases with it), and
 * Vert.x would then pick the codec that also maps Java objects, whose {@code ObjectMapper} takes
 * about 60 ms to set up on the way to serving. vxdns's JSON is only JSON values (configuration,
 * event-bus messages, the admin and metrics bodies): no object is mapped.
 */
public final class PlainJson implements JsonFactory {

  private static final JsonCodec CODEC = new JacksonCodec();

  /** Before Vert.x's own factory (whose order is the highest an int allows). */
  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
