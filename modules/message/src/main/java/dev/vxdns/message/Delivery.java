package dev.vxdns.message;

/** How a {@link StageChain} reaches its stages (config key {@code options.pipeline.delivery}). */
public enum Delivery {
  /**
   * Call the registered stage on the transport's event loop; use the bus only for stages not in
   * this process.
   */
  DIRECT("direct"),
  /** Send every exchange over the event bus (request/reply), even to local stages. */
  EVENTBUS("eventbus");

  private final String configName;

  Delivery(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Delivery fromConfigName(String name) {
    for (Delivery d : values()) {
      if (d.configName.equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "unknown delivery '" + name + "' (expected direct or eventbus)");
  }
}
