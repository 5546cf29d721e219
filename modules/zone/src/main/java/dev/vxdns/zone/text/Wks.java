package dev.vxdns.zone.text;

import dev.vxdns.zone.text.MasterLexer.Token;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * WKS: an address, a protocol (number or name) and services (numbers or names), names looked up as
 * BIND does with getprotobyname/getservbyname, here in /etc/protocols and /etc/services.
 */
final class Wks {

  private Wks() {}

  private static final class Tables {
    static final Map<String, Integer> PROTOCOLS = read(Path.of("/etc/protocols"), null);
    static final Map<String, Integer> SERVICES = read(Path.of("/etc/services"), "");

    /** name (and name/protocol for services) to number. */
    private static Map<String, Integer> read(Path file, String services) {
      Map<String, Integer> map = new HashMap<>();
      map.put("tcp", 6);
      map.put("udp", 17);
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
          int hash = line.indexOf('#');
          String[] words = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
          if (words.length < 2) {
            continue;
          }
          if (services == null) {
            if (Fields.isDigits(words[1])) {
              for (int i = 0; i < words.length; i++) {
                if (i != 1) {
                  map.putIfAbsent(words[i].toLowerCase(Locale.ROOT), Integer.parseInt(words[1]));
                }
              }
            }
          } else {
            String[] portProto = words[1].split("/");
            if (portProto.length == 2 && Fields.isDigits(portProto[0])) {
              int port = Integer.parseInt(portProto[0]);
              for (int i = 0; i < words.length; i++) {
                if (i != 1) {
                  map.putIfAbsent(words[i] + "/" + portProto[1], port);
                }
              }
            }
          }
        }
      } catch (IOException e) {
        // no such file: numbers (and tcp, udp) only
      }
      return Map.copyOf(map);
    }
  }

  static void parse(Fields f) throws MasterFileException {
    f.out.writeByteArray(f.ipv4(f.token()));
    Token protoToken = f.token();
    long proto;
    if (Fields.isDigits(protoToken.text()) && protoToken.text().length() <= 10) {
      proto = Long.parseLong(protoToken.text());
    } else {
      Integer known = Tables.PROTOCOLS.get(protoToken.text().toLowerCase(Locale.ROOT));
      if (known == null) {
        throw f.error(protoToken, "unknown protocol");
      }
      proto = known;
    }
    if (proto > 0xff) {
      throw f.error(protoToken, "out of range");
    }
    f.out.writeU8((int) proto);
    String protoName = proto == 6 ? "tcp" : proto == 17 ? "udp" : null;
    byte[] bitmap = new byte[8192];
    int max = -1;
    while (f.more()) {
      Token t = f.token();
      long port;
      if (Fields.isDigits(t.text()) && t.text().length() <= 10) {
        port = Long.parseLong(t.text());
      } else {
        Integer known =
            protoName == null
                ? null
                : Tables.SERVICES.get(t.text().toLowerCase(Locale.ROOT) + "/" + protoName);
        if (known == null && protoName != null) {
          known = Tables.SERVICES.get(t.text() + "/" + protoName);
        }
        if (known == null) {
          throw f.error(t, "unknown service");
        }
        port = known;
      }
      if (port > 0xffff) {
        throw f.error(t, "out of range");
      }
      bitmap[(int) port / 8] |= (byte) (0x80 >> (port % 8));
      max = (int) Math.max(max, port);
    }
    f.out.writeByteArray(bitmap, 0, (max + 8) / 8);
  }
}
