package dev.vxdns.zone.text;

/** A problem in a master file, at a line: its message reads {@code file:line: problem}. */
public final class MasterFileException extends Exception {

  private final String file;
  private final int line;
  private final String problem;

  public MasterFileException(String file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  /** The message without the file and line. */
  public String problem() {
    return problem;
  }
}
