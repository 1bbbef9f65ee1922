package org.edapipeline.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * The string literals of a Java source file, with the line each starts on. A small lexer, not a
 * parser: it knows comments, char literals, string literals and text blocks, which is all it takes
 * to tell a literal from a comment or an identifier.
 */
final class JavaStringLiterals {

  /** One string literal: its raw content between the quotes, and its line (1-based). */
  record Literal(int line, String value) {}

  private JavaStringLiterals() {}

  static List<Literal> in(String source) {
    List<Literal> literals = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (source.startsWith("//", i)) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(source, i, end);
        i = end;
      } else if (source.startsWith("\"\"\"", i)) {
        int start = i + 3;
        int end = closing(source, start, "\"\"\"");
        literals.add(new Literal(line, source.substring(start, end)));
        line += count(source, i, Math.min(n, end + 3));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        int start = i + 1;
        int end = closing(source, start, String.valueOf(c));
        if (c == '"') {
          literals.add(new Literal(line, source.substring(start, end)));
        }
        i = end + 1;
      } else {
        i++;
      }
    }
    return literals;
  }

  /** Index of the unescaped {@code delimiter} at or after {@code from}, or the end of input. */
  private static int closing(String source, int from, String delimiter) {
    int i = from;
    while (i < source.length()) {
      if (source.charAt(i) == '\\') {
        i += 2;
      } else if (source.startsWith(delimiter, i)) {
        return i;
      } else {
        i++;
      }
    }
    return source.length();
  }

  private static int count(String source, int from, int to) {
    int newlines = 0;
    for (int i = from; i < to && i < source.length(); i++) {
      if (source.charAt(i) == '\n') {
        newlines++;
      }
    }
    return newlines;
  }
}
