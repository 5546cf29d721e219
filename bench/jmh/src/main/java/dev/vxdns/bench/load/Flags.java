package dev.vxdns.bench.load;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/** {@code --name value} pairs of one command; a missing required flag is a clear error. */
record Flags(Map<String, String> values) {

  static Flags parse(String[] args, int from) {
    Map<String, String> values = new HashMap<>();
    for (int i = from; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value at '" + args[i] + "'");
      }
      values.put(args[i].substring(2), args[i + 1]);
    }
    return new Flags(values);
  }

  String string(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  /** {@code host:port}. */
  InetSocketAddress address(String name) {
    String value = string(name);
    int colon = value.lastIndexOf(':');
    return new InetSocketAddress(
        value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
  }

  Name zone() throws TextParseException {
    return Name.fromString(string("zone"), Name.root);
  }

  /** {@code --key name:base64secret}, hmac-sha256. */
  TSIG key() {
    String value = string("key");
    int colon = value.indexOf(':');
    return new TSIG(TSIG.HMAC_SHA256, value.substring(0, colon), value.substring(colon + 1));
  }
}
