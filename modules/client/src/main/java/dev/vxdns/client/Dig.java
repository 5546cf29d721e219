package dev.vxdns.client;

import dev.vxdns.config.BuildVersion;
import dev.vxdns.config.named.NamedConf;
import dev.vxdns.config.named.NamedConfException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code vxdns dig}: BIND 9.20's dig command line ({@code @server}, {@code -p}, {@code -t}, {@code
 * -c}, {@code -q}, {@code -x}, {@code -y}, {@code -k}, {@code +opt}/{@code +noopt}/{@code +opt=v},
 * unique prefixes accepted as dig does) and output, for one query on any transport {@link
 * QueryClient} speaks. Exit status as dig's: 0 for a response, 1 for a usage error, 9 for no reply,
 * 10 for an internal error.
 */
public final class Dig {
  static final int EXIT_OK = 0;
  static final int EXIT_USAGE = 1;
  static final int EXIT_NO_REPLY = 9;
  static final int EXIT_INTERNAL = 10;

  /** The {@code +} options this dig knows; any unique prefix names one, as in dig. */
  private static final List<String> PLUS_OPTIONS =
      List.of(
          "tcp",
          "vc",
          "tls",
          "tls-ca",
          "tls-hostname",
          "https",
          "https-get",
          "https-post",
          "http-plain",
          "http-plain-get",
          "http-plain-post",
          "proxy",
          "proxy-plain",
          "edns",
          "bufsize",
          "subnet",
          "ednsopt",
          "nsid",
          "expire",
          "dnssec",
          "recurse",
          "adflag",
          "cdflag",
          "aaflag",
          "short",
          "comments",
          "stats",
          "cmd",
          "question",
          "answer",
          "authority",
          "additional",
          "all",
          "time",
          "timeout",
          "tries",
          "retry",
          "ignore",
          "multiline",
          "keepopen",
          "cookie",
          "qr",
          "header-only",
          "opcode");

  private final PrintStream out;
  private final PrintStream err;

  private String server = "127.0.0.1";
  private int port = -1;
  private String name;
  private int type = -1;
  private int dclass = DClass.IN;
  private Transport transport = Transport.UDP;
  private ProxyMode proxy = ProxyMode.NONE;
  private InetSocketAddress proxySource;
  private InetSocketAddress proxyDestination;
  private String httpPath;
  private boolean httpGet;
  private Path tlsCa;
  private boolean tlsVerify;
  private String tlsHostname;
  private int ednsVersion = 0;
  private int bufsize = 1232;
  private boolean dnssec;
  private boolean nsid;
  private boolean expire;
  private final List<EDNSOption> ednsOptions = new ArrayList<>();
  private boolean recurse = true;
  private boolean adflag = true;
  private boolean cdflag;
  private boolean aaflag;
  private boolean ignoreTruncation;
  private boolean shortOutput;
  private boolean comments = true;
  private boolean stats = true;
  private boolean cmd = true;
  private boolean question = true;
  private boolean answer = true;
  private boolean authority = true;
  private boolean additional = true;
  private boolean showQuery;
  private int timeoutSeconds = 5;
  private int tries = 3;
  private TSIG tsig;

  public Dig(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs {@code vxdns dig ARGS}; the exit status. */
  public int run(List<String> args) {
    try {
      parse(args);
    } catch (IllegalArgumentException e) {
      err.println("vxdns dig: " + e.getMessage());
      return EXIT_USAGE;
    }
    Message query;
    ClientOptions options;
    try {
      query = query();
      options = options();
    } catch (IllegalArgumentException | IOException e) {
      err.println("vxdns dig: " + e.getMessage());
      return EXIT_USAGE;
    }
    if (cmd && !shortOutput) {
      out.println();
      out.println("; <<>> vxdns dig " + BuildVersion.VERSION + " <<>> " + String.join(" ", args));
      out.println(";; global options: +cmd");
    }
    if (showQuery) {
      out.println(DigFormat.message(query, query.toWire().length, true, comments, sections()));
    }
    IOException last = null;
    for (int attempt = 0; attempt < Math.max(1, tries); attempt++) {
      try {
        Response response = QueryClient.exchange(query.clone(), options);
        if (transport == Transport.UDP
            && !ignoreTruncation
            && response.message().getHeader().getFlag(Flags.TC)) {
          if (comments && !shortOutput) {
            out.println(";; Truncated, retrying in TCP mode.");
          }
          response = QueryClient.exchange(query.clone(), options.withTransport(Transport.TCP));
        }
        print(response);
        return EXIT_OK;
      } catch (IOException e) {
        last = e;
        // dig retries UDP only; a stream that failed is reported at once
        if (transport != Transport.UDP) {
          break;
        }
      }
    }
    out.println(
        ";; communications error to " + serverLabel(options.server()) + ": " + reason(last));
    out.println(";; no servers could be reached");
    return EXIT_NO_REPLY;
  }

  /** What went wrong, in dig's words where dig has them. */
  private static String reason(IOException failure) {
    if (failure instanceof java.net.SocketTimeoutException) {
      return "timed out";
    }
    if (failure instanceof java.net.PortUnreachableException
        || failure instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  private boolean[] sections() {
    return new boolean[] {question, answer, authority, additional};
  }

  private void print(Response response) {
    Message message = response.message();
    if (shortOutput) {
      for (Record record : message.getSection(org.xbill.DNS.Section.ANSWER)) {
        out.println(record.rdataToString());
      }
      return;
    }
    if (comments) {
      out.println(";; Got answer:");
    }
    out.print(DigFormat.message(message, response.wire().length, false, comments, sections()));
    if (response.tsigStatus() != Response.UNSIGNED
        && response.tsigStatus() != org.xbill.DNS.Rcode.NOERROR) {
      out.println(
          ";; Couldn't verify signature: " + org.xbill.DNS.Rcode.TSIGstring(response.tsigStatus()));
    }
    if (stats) {
      out.println(";; Query time: " + response.micros() / 1000 + " msec");
      out.println(
          ";; SERVER: "
              + serverLabel(response.options().server())
              + " ("
              + response.options().transport().label()
              + ")");
      ClientOptions.Proxy header = response.options().proxy();
      if (header.sent()) {
        out.println(
            ";; CLIENT PROXY HEADER"
                + (header.mode() == ProxyMode.PLAIN ? " (plain)" : "")
                + ": "
                + (header.source() == null
                    ? "LOCAL"
                    : "source: "
                        + endpointLabel(header.source())
                        + ", destination: "
                        + endpointLabel(header.destination())));
      }
      out.println(";; WHEN: " + java.time.ZonedDateTime.now().format(WHEN));
      out.println(";; MSG SIZE  rcvd: " + response.wire().length);
      out.println();
    }
  }

  private static final java.time.format.DateTimeFormatter WHEN =
      java.time.format.DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss z yyyy", Locale.ROOT);

  private static String endpointLabel(InetSocketAddress endpoint) {
    return endpoint.getAddress().getHostAddress() + "#" + endpoint.getPort();
  }

  private static String serverLabel(InetSocketAddress server) {
    String host = server.getAddress().getHostAddress();
    return host + "#" + server.getPort() + "(" + host + ")";
  }

  private Message query() throws TextParseException {
    Name qname = Name.fromString(name == null ? "." : name, Name.root);
    int qtype = type < 0 ? (name == null ? Type.NS : Type.A) : type;
    Message query = Message.newQuery(Record.newRecord(qname, qtype, dclass));
    if (!recurse) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    if (adflag) {
      query.getHeader().setFlag(Flags.AD);
    }
    if (cdflag) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (aaflag) {
      query.getHeader().setFlag(Flags.AA);
    }
    if (ednsVersion >= 0) {
      List<EDNSOption> options = new ArrayList<>();
      if (nsid) {
        options.add(new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]));
      }
      if (expire) {
        options.add(new GenericEDNSOption(EDNSOption.Code.EDNS_EXPIRE, new byte[0]));
      }
      options.addAll(ednsOptions);
      query.addRecord(
          new OPTRecord(bufsize, 0, ednsVersion, dnssec ? Flags.DO : 0, options),
          org.xbill.DNS.Section.ADDITIONAL);
    }
    return query;
  }

  private ClientOptions options() throws IOException {
    InetAddress address = InetAddress.getByName(server);
    int defaultPort =
        switch (transport) {
          case UDP, TCP -> 53;
          case DOT -> 853;
          case DOH -> 443;
          case H2C -> 80;
        };
    return ClientOptions.udp(new InetSocketAddress(address, port < 0 ? defaultPort : port))
        .withTransport(transport)
        .withProxy(proxy, proxySource, proxyDestination)
        .withHttp(httpPath, httpGet)
        .withTls(tlsCa, tlsVerify, tlsHostname)
        .withTimeout(Duration.ofSeconds(timeoutSeconds))
        .withTsig(tsig);
  }

  private void parse(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("@")) {
        server = arg.substring(1);
      } else if (arg.startsWith("+")) {
        plus(arg.substring(1));
      } else if (arg.startsWith("-") && arg.length() > 1) {
        String flag = arg.substring(0, 2);
        if (flag.equals("-4") || flag.equals("-6")) {
          continue;
        }
        String value = arg.length() > 2 ? arg.substring(2) : null;
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException("option " + arg + " needs a value");
          }
          value = args.get(++i);
        }
        dash(flag, value);
      } else if (name != null && type < 0 && Type.value(arg.toUpperCase(Locale.ROOT)) >= 0) {
        type = Type.value(arg.toUpperCase(Locale.ROOT));
      } else if (name != null && DClass.value(arg.toUpperCase(Locale.ROOT)) >= 0) {
        dclass = DClass.value(arg.toUpperCase(Locale.ROOT));
      } else if (name == null) {
        name = arg;
      } else {
        throw new IllegalArgumentException("one query at a time (got '" + arg + "')");
      }
    }
  }

  private void dash(String flag, String value) {
    switch (flag) {
      case "-p" -> port = number(value, 0, 65535, "-p");
      case "-t" -> {
        type = Type.value(value.toUpperCase(Locale.ROOT));
        if (type < 0) {
          throw new IllegalArgumentException("unknown type " + value);
        }
      }
      case "-c" -> {
        dclass = DClass.value(value.toUpperCase(Locale.ROOT));
        if (dclass < 0) {
          throw new IllegalArgumentException("unknown class " + value);
        }
      }
      case "-q" -> name = value;
      case "-x" -> {
        try {
          name = ReverseMap.fromAddress(value).toString();
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException("'" + value + "' is not an IP address");
        }
        type = Type.PTR;
      }
      case "-y" -> tsig = keyFromArgument(value);
      case "-k" -> tsig = keyFromFile(Path.of(value));
      default -> throw new IllegalArgumentException("unknown option " + flag);
    }
  }

  /** {@code -y [alg:]name:secret}, hmac-sha256 when the algorithm is left out (as in dig 9.20). */
  static TSIG keyFromArgument(String value) {
    String[] parts = value.split(":", 3);
    if (parts.length < 2) {
      throw new IllegalArgumentException("-y needs [alg:]name:secret");
    }
    String algorithm = parts.length == 3 ? parts[0] : "hmac-sha256";
    String keyName = parts.length == 3 ? parts[1] : parts[0];
    String secret = parts[parts.length - 1];
    return tsig(algorithm, keyName, secret);
  }

  private static TSIG tsig(String algorithm, String keyName, String secret) {
    String base = algorithm.toLowerCase(Locale.ROOT).replaceFirst("-[0-9]+$", "");
    try {
      return new TSIG(TSIG.algorithmToName(base), Name.fromString(keyName, Name.root), secret);
    } catch (IllegalArgumentException | TextParseException e) {
      throw new IllegalArgumentException("invalid TSIG key " + keyName + ": " + e.getMessage());
    }
  }

  /**
   * {@code -k FILE}: a BIND key file ({@code key "name" { algorithm ...; secret "..."; };}, as
   * tsig-keygen writes it) or the JSON {@code vxdns tsig-keygen --file} writes.
   */
  static TSIG keyFromFile(Path file) {
    try {
      String text = Files.readString(file);
      if (text.stripLeading().startsWith("{")) {
        // {"key": {"NAME": {"algorithm": ..., "secret": ...}}}, as vxdns tsig-keygen --file writes
        io.vertx.core.json.JsonObject keys =
            new io.vertx.core.json.JsonObject(text).getJsonObject("key");
        if (keys == null || keys.size() != 1) {
          throw new IllegalArgumentException(file + " must hold one key under \"key\"");
        }
        String keyName = keys.fieldNames().iterator().next();
        io.vertx.core.json.JsonObject key = keys.getJsonObject(keyName);
        return tsig(key.getString("algorithm", "hmac-sha256"), keyName, key.getString("secret"));
      }
      NamedConf.Statement key =
          NamedConf.parse(text, file.toString(), file.toAbsolutePath().getParent())
              .first("key")
              .orElseThrow(() -> new IllegalArgumentException(file + " holds no key statement"));
      NamedConf.Block body = key.block();
      String algorithm = body == null ? "" : body.first("algorithm").map(s -> s.word(1)).orElse("");
      String secret = body == null ? "" : body.first("secret").map(s -> s.word(1)).orElse("");
      if (algorithm.isEmpty() || secret.isEmpty()) {
        throw new IllegalArgumentException(key.where() + ": a key needs an algorithm and a secret");
      }
      return tsig(algorithm, key.word(1), secret);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    } catch (NamedConfException | io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private void plus(String option) {
    boolean negated = option.startsWith("no");
    String body = negated ? option.substring(2) : option;
    String value = null;
    int equals = body.indexOf('=');
    if (equals >= 0) {
      value = body.substring(equals + 1);
      body = body.substring(0, equals);
    }
    String known = resolve(body);
    if (known == null) {
      throw new IllegalArgumentException("invalid option: +" + option);
    }
    boolean on = !negated;
    switch (known) {
      case "tcp", "vc" -> transport = on ? Transport.TCP : Transport.UDP;
      case "tls" -> transport = on ? Transport.DOT : Transport.UDP;
      case "tls-ca" -> {
        tlsVerify = on;
        tlsCa = on && value != null ? Path.of(value) : null;
      }
      case "tls-hostname" -> tlsHostname = on ? required(value, "+tls-hostname") : null;
      case "https", "https-post", "https-get" -> {
        transport = on ? Transport.DOH : Transport.UDP;
        httpGet = known.equals("https-get");
        httpPath = value != null && !value.isEmpty() ? value : null;
      }
      case "http-plain", "http-plain-post", "http-plain-get" -> {
        transport = on ? Transport.H2C : Transport.UDP;
        httpGet = known.equals("http-plain-get");
        httpPath = value != null && !value.isEmpty() ? value : null;
      }
      case "proxy", "proxy-plain" -> {
        proxy =
            !on ? ProxyMode.NONE : known.equals("proxy") ? ProxyMode.ENCRYPTED : ProxyMode.PLAIN;
        proxySource = null;
        proxyDestination = null;
        if (on && value != null) {
          proxyAddresses(value);
        }
      }
      case "edns" -> ednsVersion = on ? (value == null ? 0 : number(value, 0, 255, "+edns")) : -1;
      case "bufsize" -> bufsize = number(required(value, "+bufsize"), 0, 65535, "+bufsize");
      case "subnet" -> {
        if (on) {
          ednsOptions.add(subnet(required(value, "+subnet")));
        } else {
          ednsOptions.removeIf(ClientSubnetOption.class::isInstance);
        }
      }
      case "ednsopt" -> {
        if (on) {
          ednsOptions.add(ednsopt(required(value, "+ednsopt")));
        } else {
          ednsOptions.clear();
        }
      }
      case "nsid" -> nsid = on;
      case "expire" -> expire = on;
      case "dnssec" -> dnssec = on;
      case "recurse" -> recurse = on;
      case "adflag" -> adflag = on;
      case "cdflag" -> cdflag = on;
      case "aaflag" -> aaflag = on;
      case "ignore" -> ignoreTruncation = on;
      case "short" -> shortOutput = on;
      case "comments" -> comments = on;
      case "stats" -> stats = on;
      case "cmd" -> cmd = on;
      case "question" -> question = on;
      case "answer" -> answer = on;
      case "authority" -> authority = on;
      case "additional" -> additional = on;
      case "all" -> {
        comments = stats = cmd = question = answer = authority = additional = on;
      }
      case "qr" -> showQuery = on;
      case "time", "timeout" -> timeoutSeconds = number(required(value, "+time"), 1, 300, "+time");
      case "tries" -> tries = number(required(value, "+tries"), 1, 100, "+tries");
      case "retry" -> tries = number(required(value, "+retry"), 0, 100, "+retry") + 1;
      case "multiline", "keepopen", "cookie", "header-only", "opcode" -> {
        // accepted for habit's sake; they do not change what this dig sends or compares
      }
      default -> throw new IllegalArgumentException("invalid option: +" + option);
    }
  }

  /** The option {@code prefix} names: itself, or the only one it starts. */
  private static String resolve(String prefix) {
    if (PLUS_OPTIONS.contains(prefix)) {
      return prefix;
    }
    if (prefix.equals("rec")) {
      return "recurse";
    }
    List<String> matches = PLUS_OPTIONS.stream().filter(o -> o.startsWith(prefix)).toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException("ambiguous option +" + prefix + ": " + matches);
    }
    return null;
  }

  /** {@code SRC[#PORT]-DST[#PORT]} (IPv6 addresses have no '-', so the split is unambiguous). */
  private void proxyAddresses(String value) {
    String[] ends = value.split("-", 2);
    if (ends.length != 2) {
      throw new IllegalArgumentException("+proxy=SRC[#PORT]-DST[#PORT] needs two addresses");
    }
    proxySource = endpoint(ends[0], 0);
    proxyDestination = endpoint(ends[1], 53);
    if ((proxySource.getAddress() instanceof java.net.Inet4Address)
        != (proxyDestination.getAddress() instanceof java.net.Inet4Address)) {
      throw new IllegalArgumentException("the PROXY addresses must be of one family");
    }
  }

  private static InetSocketAddress endpoint(String text, int defaultPort) {
    String[] parts = text.split("#", 2);
    if (!parts[0].matches("[0-9a-fA-F.:]+")) {
      throw new IllegalArgumentException("'" + parts[0] + "' is not an IP address");
    }
    try {
      return new InetSocketAddress(
          InetAddress.getByName(parts[0]),
          parts.length == 2 ? number(parts[1], 0, 65535, "port") : defaultPort);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + parts[0] + "' is not an IP address");
    }
  }

  /** {@code +subnet=ADDR[/LEN]}: EDNS Client Subnet (RFC 7871), scope 0. */
  static ClientSubnetOption subnet(String value) {
    String[] parts = value.split("/", 2);
    InetAddress address = endpoint(parts[0], 0).getAddress();
    int max = address instanceof java.net.Inet4Address ? 32 : 128;
    int length = parts.length == 2 ? number(parts[1], 0, max, "+subnet length") : max;
    return new ClientSubnetOption(length, address);
  }

  /** {@code +ednsopt=CODE[:HEX]}: CODE a number or a name dnsjava knows (NSID, COOKIE, ...). */
  static EDNSOption ednsopt(String value) {
    String[] parts = value.split(":", 2);
    int code;
    if (parts[0].matches("[0-9]+")) {
      code = number(parts[0], 0, 65535, "+ednsopt code");
    } else {
      code = EDNSOption.Code.value(parts[0].toUpperCase(Locale.ROOT));
      if (code < 0) {
        throw new IllegalArgumentException("unknown EDNS option " + parts[0]);
      }
    }
    byte[] data;
    try {
      data = parts.length == 2 ? HexFormat.of().parseHex(parts[1]) : new byte[0];
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("+ednsopt value must be hexadecimal: " + parts[1]);
    }
    return new GenericEDNSOption(code, data);
  }

  private static String required(String value, String option) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static int number(String value, int min, int max, String what) {
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " needs a number from " + min + " to " + max);
    }
  }
}
