package org.edapipeline.dlq.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Text helpers of the CLI's output: tables, hex dumps, printable bytes. */
final class Text {

  private Text() {}

  /** Rows as a left-aligned table; the first row is the header. */
  static String table(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < columns; i++) {
        cells.add(i == columns - 1 ? row.get(i) : pad(row.get(i), widths[i]));
      }
      out.append(String.join("  ", cells).stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  /** {@code text} on one line, cut to {@code max} characters with an ellipsis; "-" if null. */
  static String oneLine(String text, int max) {
    if (text == null) {
      return "-";
    }
    String line = text.replaceAll("\\s+", " ").trim();
    return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
  }

  /** The simple name of a fully qualified class name. */
  static String simpleName(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? className : className.substring(dot + 1);
  }

  /** Bytes as UTF-8 text if they are printable UTF-8, else as hex with a {@code 0x} prefix. */
  static String printable(ByteBuffer buffer) {
    if (buffer == null) {
      return "(null)";
    }
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(buffer.duplicate());
      String text = chars.toString();
      if (text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t')) {
        return text;
      }
    } catch (CharacterCodingException e) {
      // not text: hex below
    }
    return "0x" + hex(bytes(buffer));
  }

  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return out.toString();
  }

  /**
   * A classic hex dump: offset, 16 bytes in hex, the same bytes as ASCII; at most {@code max}
   * bytes, then a line saying how many were left out.
   */
  static String hexDump(byte[] bytes, int max) {
    StringBuilder out = new StringBuilder();
    int shown = Math.min(bytes.length, max);
    for (int line = 0; line < shown; line += 16) {
      out.append(String.format("  %08x  ", line));
      StringBuilder ascii = new StringBuilder();
      for (int i = line; i < line + 16; i++) {
        if (i < shown) {
          out.append(String.format("%02x ", bytes[i]));
          char c = (char) (bytes[i] & 0xFF);
          ascii.append(c >= 0x20 && c < 0x7F ? c : '.');
        } else {
          out.append("   ");
        }
        if (i == line + 7) {
          out.append(' ');
        }
      }
      out.append(" |").append(ascii).append("|\n");
    }
    if (shown < bytes.length) {
      out.append("  ... ").append(bytes.length - shown).append(" more bytes (--max-bytes)\n");
    }
    return out.toString();
  }
}
