package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.named.NamedConf;
import dev.vxdns.config.named.NamedConfException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vxdns import-named NAMED.CONF [--output FILE]}: the JSON configuration on standard output
 * (or in FILE), what was not converted on standard error, one line each ({@code FILE:LINE:
 * statement why}). The result is then validated as the node would (relative paths against FILE's
 * folder, or the current one): status 0 when it is valid, 1 when named.conf cannot be read or the
 * result does not validate (the problem is printed; the JSON is still written, to be edited).
 */
final class NamedImportCommand {
  private final PrintStream out;
  private final PrintStream err;

  NamedImportCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(List<String> args) throws IOException {
    Path input = null;
    Path output = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--output") && i + 1 < args.size()) {
        output = Path.of(args.get(++i));
      } else if (args.get(i).startsWith("-") || input != null) {
        throw new IllegalArgumentException("import-named takes one named.conf and --output FILE");
      } else {
        input = Path.of(args.get(i));
      }
    }
    if (input == null) {
      throw new IllegalArgumentException("import-named needs a named.conf");
    }
    NamedImport.Result result;
    try {
      result = NamedImport.convert(NamedConf.parse(input));
    } catch (NamedConfException e) {
      err.println("vxdns import-named: " + e.getMessage());
      return Main.EXIT_START_FAILED;
    }
    String json = result.config().encodePrettily() + "\n";
    if (output == null) {
      out.print(json);
    } else {
      Files.writeString(output, json);
    }
    result.notes().forEach(note -> err.println(note));
    Path directory = (output == null ? Path.of("") : output).toAbsolutePath().getParent();
    if (output == null) {
      directory = Path.of("").toAbsolutePath();
    }
    try (NodeConfig checked = NodeConfig.parse(result.config(), directory)) {
      return Main.EXIT_OK;
    } catch (ConfigException e) {
      err.println(
          "vxdns import-named: the converted configuration does not validate here: "
              + e.getMessage());
      return Main.EXIT_START_FAILED;
    }
  }
}
