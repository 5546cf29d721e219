package dev.vxdns.zone.text;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a master file into entries, one logical line each (parentheses join physical lines), as
 * BIND's lexer does: comments from {@code ;}, quoted strings, {@code \}-escapes kept in the token
 * text for the field parser, and whether the line began with white space (the owner is omitted).
 * The file is read once, one entry at a time, as octets (each a char 0-255, as ISO-8859-1).
 */
final class MasterLexer {

  /** One token: its text as written (escapes kept), whether it was quoted, and its line. */
  record Token(String text, boolean quoted, int line) {}

  /** One logical line: its tokens, and whether it began with white space. */
  record Entry(List<Token> tokens, boolean initialBlank, int line) {}

  private final InputStream in;
  private final String file;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private int line = 1;
  private int pushedBack = -2;

  MasterLexer(InputStream in, String file) {
    this.in = in;
    this.file = file;
  }

  String file() {
    return file;
  }

  int line() {
    return line;
  }

  private int read() throws IOException {
    if (pushedBack != -2) {
      int c = pushedBack;
      pushedBack = -2;
      return c;
    }
    if (position == limit) {
      limit = in.read(buffer, 0, buffer.length);
      position = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
    }
    return buffer[position++] & 0xff;
  }

  private void unread(int c) {
    pushedBack = c;
  }

  /** The next entry with at least one token, or null at the end of the file. */
  Entry next() throws IOException, MasterFileException {
    while (true) {
      int c = read();
      if (c == -1) {
        return null;
      }
      unread(c);
      boolean initialBlank = c == ' ' || c == '\t';
      int start = line;
      List<Token> tokens = readLine();
      if (!tokens.isEmpty()) {
        return new Entry(tokens, initialBlank, tokens.get(0).line());
      }
      if (line == start) {
        return null; // end of file on a blank last line
      }
    }
  }

  /** Reads tokens up to the end of a logical line (the newline is consumed). */
  private List<Token> readLine() throws IOException, MasterFileException {
    List<Token> tokens = new ArrayList<>(8);
    int depth = 0;
    int depthLine = line;
    StringBuilder text = new StringBuilder(32);
    while (true) {
      int c = read();
      switch (c) {
        case -1:
          if (depth > 0) {
            throw new MasterFileException(file, depthLine, "unbalanced parentheses");
          }
          return tokens;
        case '\n':
          line++;
          if (depth == 0) {
            return tokens;
          }
          break;
        case ' ', '\t', '\r':
          break;
        case ';':
          do {
            c = read();
          } while (c != '\n' && c != -1);
          unread(c);
          break;
        case '(':
          if (depth++ == 0) {
            depthLine = line;
          }
          break;
        case ')':
          if (--depth < 0) {
            throw new MasterFileException(file, line, "unbalanced parentheses");
          }
          break;
        case '"':
          tokens.add(quoted(text));
          break;
        default:
          unread(c);
          tokens.add(unquoted(text));
      }
    }
  }

  private Token quoted(StringBuilder text) throws IOException, MasterFileException {
    int start = line;
    text.setLength(0);
    while (true) {
      int c = read();
      if (c == -1 || c == '\n') {
        throw new MasterFileException(file, start, "unbalanced quotes");
      }
      if (c == '"') {
        return new Token(text.toString(), true, start);
      }
      text.append((char) c);
      if (c == '\\') {
        int e = read();
        if (e == -1) {
          throw new MasterFileException(file, start, "unbalanced quotes");
        }
        if (e == '\n') {
          line++;
        }
        text.append((char) e);
      }
    }
  }

  private Token unquoted(StringBuilder text) throws IOException, MasterFileException {
    int start = line;
    text.setLength(0);
    while (true) {
      int c = read();
      switch (c) {
        case -1, ' ', '\t', '\r', '\n', ';', '(', ')':
          unread(c);
          return new Token(text.toString(), false, start);
        case '\\':
          text.append('\\');
          int e = read();
          if (e == -1) {
            return new Token(text.toString(), false, start);
          }
          if (e == '\n') {
            line++;
          }
          text.append((char) e);
          break;
        case '"':
          text.append('"');
          if (text.length() > 1 && text.charAt(text.length() - 2) == '=') {
            // key="value with blanks", as in SVCB parameters: kept whole, quotes included
            while (true) {
              int q = read();
              if (q == -1 || q == '\n') {
                throw new MasterFileException(file, start, "unbalanced quotes");
              }
              text.append((char) q);
              if (q == '\\') {
                text.append((char) read());
              } else if (q == '"') {
                break;
              }
            }
          }
          break;
        default:
          text.append((char) c);
      }
    }
  }
}
