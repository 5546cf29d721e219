package dev.vxdns.config.named;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * BIND's named.conf syntax, read into a tree without interpreting it: statements of words and
 * blocks, ended by {@code ;}, blocks in braces, comments in the three styles ({@code #}, {@code
 * //}, C's), quoted strings with backslash escapes, and {@code include "FILE";} replaced by that
 * file's statements wherever it appears. Every statement keeps its file and line for messages.
 *
 * <p>{@code zone "example" in { type primary; file "x"; };} is a statement of the words {@code
 * zone}, {@code example}, {@code in}, then a block of two statements; an address list element such
 * as {@code !10/8;} is a statement of the words {@code !} and {@code 10/8}; {@code controls { inet
 * * allow { any; } keys { "k"; }; };} nests a statement with two blocks.
 */
public final class NamedConf {
  private NamedConf() {}

  /** A part of a statement: a word (quoted or not) or a block in braces. */
  public sealed interface Part permits Word, Block {}

  /** A word; {@code quoted} when it was a string in the file. */
  public record Word(String text, boolean quoted) implements Part {}

  /** The statements between braces. */
  public record Block(List<Statement> statements) implements Part {
    public Block {
      statements = List.copyOf(statements);
    }

    /** The statements whose first word is {@code name}, case-insensitively. */
    public List<Statement> all(String name) {
      return statements.stream().filter(s -> s.is(name)).toList();
    }

    public Optional<Statement> first(String name) {
      return statements.stream().filter(s -> s.is(name)).findFirst();
    }
  }

  /** One statement, where it was written. */
  public record Statement(String file, int line, List<Part> parts) {
    public Statement {
      parts = List.copyOf(parts);
    }

    /** The leading word, lower-cased; empty for a statement that starts with a block. */
    public String name() {
      return !parts.isEmpty() && parts.get(0) instanceof Word w
          ? w.text().toLowerCase(java.util.Locale.ROOT)
          : "";
    }

    public boolean is(String name) {
      return name().equals(name);
    }

    /** Every word, in order, blocks left out. */
    public List<String> words() {
      return parts.stream().filter(Word.class::isInstance).map(p -> ((Word) p).text()).toList();
    }

    /** The word after {@code name}, or empty. */
    public String word(int index) {
      List<String> words = words();
      return index < words.size() ? words.get(index) : "";
    }

    /** The first block, or null. */
    public Block block() {
      return parts.stream()
          .filter(Block.class::isInstance)
          .map(Block.class::cast)
          .findFirst()
          .orElse(null);
    }

    /** The block right after the word {@code keyword} (e.g. {@code allow} in controls), or null. */
    public Block blockAfter(String keyword) {
      for (int i = 0; i + 1 < parts.size(); i++) {
        if (parts.get(i) instanceof Word w
            && w.text().equalsIgnoreCase(keyword)
            && parts.get(i + 1) instanceof Block b) {
          return b;
        }
      }
      return null;
    }

    /** The word right after the word {@code keyword} (e.g. {@code port 53}), or null. */
    public String wordAfter(String keyword) {
      for (int i = 0; i + 1 < parts.size(); i++) {
        if (parts.get(i) instanceof Word w
            && !w.quoted()
            && w.text().equalsIgnoreCase(keyword)
            && parts.get(i + 1) instanceof Word next) {
          return next.text();
        }
      }
      return null;
    }

    /** {@code file:line}, for messages. */
    public String where() {
      return file + ":" + line;
    }

    /** The statement as named.conf text (one line; blocks abbreviated). */
    public String text() {
      StringBuilder out = new StringBuilder();
      for (Part part : parts) {
        if (out.length() > 0) {
          out.append(' ');
        }
        if (part instanceof Word w) {
          out.append(w.quoted() ? '"' + w.text() + '"' : w.text());
        } else {
          out.append("{ ... }");
        }
      }
      return out.append(';').toString();
    }
  }

  /** Reads {@code file} and every file it includes. */
  public static Block parse(Path file) throws NamedConfException {
    return parse(file, 0);
  }

  /** Reads named.conf text; includes resolve against {@code directory}. */
  public static Block parse(String text, String fileName, Path directory)
      throws NamedConfException {
    return new Parser(new Tokenizer(text, fileName).tokens(), directory, 0).topLevel();
  }

  private static Block parse(Path file, int depth) throws NamedConfException {
    if (depth > 20) {
      throw new NamedConfException(file + ": includes nested more than 20 deep");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new NamedConfException("cannot read " + file + ": " + e.getMessage());
    }
    Path parent = file.toAbsolutePath().getParent();
    return new Parser(new Tokenizer(text, file.toString()).tokens(), parent, depth).topLevel();
  }

  /** A token: punctuation ({@code { } ; !}), a word, or a string. */
  record Token(String text, boolean quoted, String file, int line) {
    boolean is(String punctuation) {
      return !quoted && text.equals(punctuation);
    }
  }

  static final class Tokenizer {
    private final String text;
    private final String file;
    private int position;
    private int line = 1;

    Tokenizer(String text, String file) {
      this.text = text;
      this.file = file;
    }

    List<Token> tokens() throws NamedConfException {
      List<Token> tokens = new ArrayList<>();
      while (true) {
        skipSpaceAndComments();
        if (position >= text.length()) {
          return tokens;
        }
        char c = text.charAt(position);
        int startLine = line;
        if (c == '{' || c == '}' || c == ';' || c == '!') {
          position++;
          tokens.add(new Token(String.valueOf(c), false, file, startLine));
        } else if (c == '"') {
          tokens.add(new Token(string(), true, file, startLine));
        } else {
          int start = position;
          while (position < text.length() && !ends(text.charAt(position))) {
            position++;
          }
          tokens.add(new Token(text.substring(start, position), false, file, startLine));
        }
      }
    }

    private boolean ends(char c) {
      return Character.isWhitespace(c) || "{};\"#".indexOf(c) >= 0 || startsComment(position);
    }

    private boolean startsComment(int at) {
      return text.startsWith("//", at) || text.startsWith("/*", at);
    }

    private void skipSpaceAndComments() throws NamedConfException {
      while (position < text.length()) {
        char c = text.charAt(position);
        if (c == '\n') {
          line++;
          position++;
        } else if (Character.isWhitespace(c)) {
          position++;
        } else if (c == '#' || text.startsWith("//", position)) {
          while (position < text.length() && text.charAt(position) != '\n') {
            position++;
          }
        } else if (text.startsWith("/*", position)) {
          int startLine = line;
          int end = text.indexOf("*/", position + 2);
          if (end < 0) {
            throw new NamedConfException(file + ":" + startLine + ": unterminated /* comment");
          }
          for (int i = position; i < end; i++) {
            if (text.charAt(i) == '\n') {
              line++;
            }
          }
          position = end + 2;
        } else {
          return;
        }
      }
    }

    private String string() throws NamedConfException {
      int startLine = line;
      StringBuilder out = new StringBuilder();
      position++;
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\' && position < text.length()) {
          c = text.charAt(position++);
        }
        if (c == '\n') {
          line++;
        }
        out.append(c);
      }
      throw new NamedConfException(file + ":" + startLine + ": unterminated string");
    }
  }

  private static final class Parser {
    private final List<Token> tokens;
    private final Path directory;
    private final int depth;
    private int next;

    Parser(List<Token> tokens, Path directory, int depth) {
      this.tokens = tokens;
      this.directory = directory;
      this.depth = depth;
    }

    Block topLevel() throws NamedConfException {
      List<Statement> statements = statements();
      if (next < tokens.size()) {
        Token extra = tokens.get(next);
        throw new NamedConfException(
            extra.file() + ":" + extra.line() + ": unexpected '" + extra.text() + "'");
      }
      return new Block(statements);
    }

    /** Statements up to a closing brace or the end. */
    private List<Statement> statements() throws NamedConfException {
      List<Statement> statements = new ArrayList<>();
      while (next < tokens.size() && !tokens.get(next).is("}")) {
        Statement statement = statement();
        if (statement.is("include") && statement.parts().size() == 2) {
          Path included = directory.resolve(statement.word(1));
          statements.addAll(NamedConf.parse(included, depth + 1).statements());
        } else if (!statement.parts().isEmpty()) {
          statements.add(statement);
        }
      }
      return statements;
    }

    private Statement statement() throws NamedConfException {
      Token first = tokens.get(next);
      List<Part> parts = new ArrayList<>();
      while (true) {
        if (next >= tokens.size()) {
          throw new NamedConfException(
              first.file() + ":" + first.line() + ": missing ';' at the end of the file");
        }
        Token token = tokens.get(next++);
        if (token.is(";")) {
          return new Statement(first.file(), first.line(), parts);
        }
        if (token.is("{")) {
          List<Statement> inner = statements();
          if (next >= tokens.size()) {
            throw new NamedConfException(
                token.file() + ":" + token.line() + ": '{' is never closed");
          }
          next++;
          parts.add(new Block(inner));
        } else if (token.is("}")) {
          // reported where the unterminated statement starts, where the ';' is missing
          throw new NamedConfException(
              first.file() + ":" + first.line() + ": missing ';' before '}'");
        } else {
          parts.add(new Word(token.text(), token.quoted()));
        }
      }
    }
  }
}
