package dev.vxdns.zone.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
  // Octets still to read: a segment of a file read in parallel ends where the next one begins.
  private long remaining;
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private int line = 1;
  private int pushedBack = -2;
  // The token being read, as octets: a String made from Latin-1 octets is one copy, where a
  // StringBuilder of chars checks and widens each one (8 % of reading a 1M-record zone).
  private byte[] text = new byte[256];
  private int textLength;

  MasterLexer(InputStream in, String file) {
    this(in, file, Long.MAX_VALUE);
  }

  /** A lexer that reads at most {@code length} octets of {@code in}. */
  MasterLexer(InputStream in, String file, long length) {
    this.in = in;
    this.file = file;
    this.remaining = length;
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
      limit = remaining == 0 ? -1 : in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      position = 0;
      if (limit <= 0) {
        limit = 0;
        return -1;
      }
      remaining -= limit;
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
          tokens.add(quoted());
          break;
        default:
          unread(c);
          tokens.add(unquoted());
      }
    }
  }

  private void append(int c) {
    if (textLength == text.length) {
      text = Arrays.copyOf(text, textLength * 2);
    }
    text[textLength++] = (byte) c;
  }

  private Token token(boolean quoted, int start) {
    return new Token(new String(text, 0, textLength, StandardCharsets.ISO_8859_1), quoted, start);
  }

  private Token quoted() throws IOException, MasterFileException {
    int start = line;
    textLength = 0;
    while (true) {
      int c = read();
      if (c == -1 || c == '\n') {
        throw new MasterFileException(file, start, "unbalanced quotes");
      }
      if (c == '"') {
        return token(true, start);
      }
      append(c);
      if (c == '\\') {
        int e = read();
        if (e == -1) {
          throw new MasterFileException(file, start, "unbalanced quotes");
        }
        if (e == '\n') {
          line++;
        }
        append(e);
      }
    }
  }

  private Token unquoted() throws IOException, MasterFileException {
    int start = line;
    textLength = 0;
    while (true) {
      int c = read();
      switch (c) {
        case -1, ' ', '\t', '\r', '\n', ';', '(', ')':
          unread(c);
          return token(false, start);
        case '\\':
          append('\\');
          int e = read();
          if (e == -1) {
            return token(false, start);
          }
          if (e == '\n') {
            line++;
          }
          append(e);
          break;
        case '"':
          append('"');
          if (textLength > 1 && text[textLength - 2] == '=') {
            // key="value with blanks", as in SVCB parameters: kept whole, quotes included
            while (true) {
              int q = read();
              if (q == -1 || q == '\n') {
                throw new MasterFileException(file, start, "unbalanced quotes");
              }
              append(q);
              if (q == '\\') {
                append(read());
              } else if (q == '"') {
                break;
              }
            }
          }
          break;
        default:
          append(c);
      }
    }
  }
}
